// Helpers for the PUB/SUB suites. A subscription needs time to travel upstream, and a test
// must never sleep for it: `settle` publishes probes until every subscriber has one, then a
// fence that each subscriber reads up to, so what arrives afterwards is what the test sent.
import type { Zmq } from "./lib";
import type { Sockets } from "./sockets";
import { turn } from "./messages";

type Ctor<K extends keyof Zmq> = Zmq[K] extends abstract new (...args: infer A) => infer R ? { args: A; instance: R } : never;
export type Publisher = Ctor<"Publisher">["instance"];
export type Subscriber = Ctor<"Subscriber">["instance"];
export type XPublisher = Ctor<"XPublisher">["instance"];
export type XSubscriber = Ctor<"XSubscriber">["instance"];
type Options<K extends "Publisher" | "Subscriber" | "XPublisher" | "XSubscriber"> = Omit<NonNullable<Ctor<K>["args"][0]>, "context">;

/** Sockets of the pub-sub family made in a test scope (closed with it). */
export function pubSub(s: Sockets) {
  const make = <T extends { close(): void }>(ctor: new (o: object) => T, options: object): T => s.track(new ctor({ ...options, context: s.context }));
  return {
    pub: (options: Options<"Publisher"> = {}) => make(s.lib.Publisher as never, options) as Publisher,
    sub: (options: Options<"Subscriber"> = {}) => make(s.lib.Subscriber as never, options) as Subscriber,
    xpub: (options: Options<"XPublisher"> = {}) => make(s.lib.XPublisher as never, options) as XPublisher,
    xsub: (options: Options<"XSubscriber"> = {}) => make(s.lib.XSubscriber as never, options) as XSubscriber,
  };
}

interface Sender {
  send(message: (string | Buffer)[]): Promise<void>;
}
interface Receiver {
  receive(): Promise<Buffer[]>;
}

/**
 * Publishes [topic, "probe"] (one per event-loop turn, at most `limit`) until every
 * subscriber has received one, then [topic, "fence"], and reads each subscriber up to its
 * fence. Each subscriber must be subscribed to `topic` (or to everything).
 */
export async function settle(pub: Sender, subs: Receiver[], topic: string, limit = 200000): Promise<void> {
  const arrived = subs.map(() => false);
  const first = subs.map((sub, i) => sub.receive().then(() => void (arrived[i] = true)));
  for (const p of first) p.catch(() => {}); // rejected by close if the loop gives up
  for (let sent = 0; !arrived.every(Boolean); sent++) {
    if (sent === limit) throw new Error(`no probe on "${topic}" arrived after ${limit} sends: the subscription never got there`);
    await pub.send([topic, "probe"]);
    await turn();
  }
  await Promise.all(first);
  await pub.send([topic, "fence"]);
  for (const sub of subs) {
    for (;;) {
      const message = await sub.receive();
      if (message[0]?.toString() === topic && message[1]?.toString() === "fence") break;
    }
  }
}

/** Receives (un)subscription notices on an XPUB until `count` arrived, as "+topic" / "-topic" strings. */
export async function notices(xpub: Receiver, count: number): Promise<string[]> {
  const out: string[] = [];
  while (out.length < count) out.push(notice(await xpub.receive()));
  return out;
}

/** One XPUB message as "+topic" (subscribe), "-topic" (cancel), or the frames joined by "|" (data). */
export function notice(message: Buffer[]): string {
  const first = message[0] as Buffer;
  if (message.length === 1 && first.length > 0 && first[0]! <= 1) return (first[0] === 1 ? "+" : "-") + first.subarray(1).toString();
  return message.map((frame) => frame.toString()).join("|");
}

/** A subscription message for an XSUB to send: 0x01 + topic (0x00 + topic to cancel). */
export function subscription(topic: string, subscribe = true): Buffer {
  return Buffer.concat([Buffer.from([subscribe ? 1 : 0]), Buffer.from(topic)]);
}

/**
 * XPUB_MANUAL: subscribes the peer of the last subscription received. omq offers
 * `xpub.subscribe(...)`; zeromq.js has only the raw ZMQ_SUBSCRIBE (6) option setter.
 */
export function manualSubscribe(xpub: XPublisher, topic: string, unsubscribe = false): void {
  const x = xpub as unknown as Record<string, (...args: unknown[]) => void>;
  if (typeof x.subscribe === "function") (unsubscribe ? x.unsubscribe! : x.subscribe).call(xpub, topic);
  else x.setStringOption!.call(xpub, unsubscribe ? 7 : 6, topic);
}

/** Closes one socket and resolves once its endpoints are released (its `end` event). */
export async function closeAndWait(socket: { close(): void; events: { on(type: "end", listener: () => void): unknown } }): Promise<void> {
  const ended = new Promise<void>((resolve) => socket.events.on("end", () => resolve()));
  socket.close();
  await ended;
}

/** Keeps one receive pending and tells whether it has settled, without waiting. */
export function pendingReceive(socket: Receiver): { promise: Promise<Buffer[]>; readonly done: boolean } {
  let done = false;
  const promise = socket.receive().finally(() => (done = true));
  promise.catch(() => {});
  return {
    promise,
    get done() {
      return done;
    },
  };
}

/** What `subscribedPair` builds: socket options, the SUB's topics (none = everything), the topic to settle on. */
interface PairSetup {
  pub?: Options<"Publisher">;
  sub?: Options<"Subscriber">;
  topics: Array<string | Buffer>;
  settleOn?: string;
}

/** A PUB bound at `address` and a SUB connected to it, subscribed to `topics` and settled on `settleOn` ("fence"). */
export async function subscribedPair(s: Sockets, address: string, setup: PairSetup): Promise<{ publisher: Publisher; subscriber: Subscriber }> {
  const { pub, sub } = pubSub(s);
  const publisher = pub(setup.pub);
  await publisher.bind(address);
  const subscriber = sub(setup.sub);
  subscriber.connect(publisher.lastEndpoint!);
  subscriber.subscribe(...setup.topics);
  await settle(publisher, [subscriber], setup.settleOn ?? "fence");
  return { publisher, subscriber };
}
