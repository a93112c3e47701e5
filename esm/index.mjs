// ESM entry: the CommonJS build, re-exported by name so `import { Push } from "omq"` works.
import omq from "../dist/src/index.js";

export const { version, capability, context, Context, Socket, Observer, Push, Pull, Pair, Request, Reply, Dealer, Router, Publisher, Subscriber, XPublisher, XSubscriber, Stream, Proxy, curveKeyPair, curvePublicKey, z85Encode, z85Decode, Authenticator } = omq;
export default omq;
