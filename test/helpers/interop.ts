// omq meets libzmq: which side is which library, and which side binds. Each interop test
// runs for every combination, so that omq is tested as binder and as connecter, as sender
// and as receiver, against the reference implementation (DESIGN.md, Testing).
import type { Sockets } from "./sockets";
import { bound } from "./sockets";
import { lib, native, type Zmq } from "./lib";
import type { Transport } from "./transports";

/** Skip reason when the native `zeromq` package is not installed (STYLE.md: interop tests are skipped then). */
export function nativeMissing(): string | false {
  try {
    require.resolve("zeromq");
    return false;
  } catch {
    return "the native zeromq package is not installed";
  }
}

export type Side = "omq" | "zeromq";

export function libOf(side: Side): Zmq {
  return side === "omq" ? lib() : native();
}

export interface Link<A, B> {
  a: A;
  b: B;
}

/**
 * Makes socket `a` with `makeA` on `aSide`'s library and `b` on `bSide`'s, each in its own
 * context, binds the one named by `binder` on `transport` and connects the other to it.
 */
export async function link<A extends Bindable, B extends Bindable>(
  s: Sockets,
  transport: Transport,
  sides: { a: Side; b: Side; binder: "a" | "b" },
  makeA: (s: Sockets) => A,
  makeB: (s: Sockets) => B,
): Promise<Link<A, B>> {
  const a = makeA(s.fork(libOf(sides.a)));
  const b = makeB(s.fork(libOf(sides.b)));
  const [binder, connecter] = sides.binder === "a" ? [a, b] : [b, a];
  const endpoint = await bound(binder as never, transport.bindAddress());
  connecter.connect(endpoint);
  return { a, b };
}

interface Bindable {
  bind(address: string): Promise<void>;
  connect(address: string): void;
  readonly lastEndpoint: string | null;
}
