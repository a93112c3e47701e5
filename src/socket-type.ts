/** ZMQ socket type numbers (zmq.h), also `socket.type` in zeromq.js. */
export const SocketType = {
  PAIR: 0, PUB: 1, SUB: 2, REQ: 3, REP: 4, DEALER: 5, ROUTER: 6, PULL: 7, PUSH: 8,
  XPUB: 9, XSUB: 10, STREAM: 11, SERVER: 12, CLIENT: 13, RADIO: 14, DISH: 15,
  GATHER: 16, SCATTER: 17, DGRAM: 18, PEER: 19, CHANNEL: 20,
} as const;

export type SocketTypeName = keyof typeof SocketType;

/** Which peer types each socket type may talk to (RFC 23 / RFC 37 and libzmq's draft types). */
const COMPATIBLE: Record<SocketTypeName, readonly SocketTypeName[]> = {
  PAIR: ["PAIR"],
  PUB: ["SUB", "XSUB"],
  SUB: ["PUB", "XPUB"],
  REQ: ["REP", "ROUTER"],
  REP: ["REQ", "DEALER"],
  DEALER: ["REP", "DEALER", "ROUTER"],
  ROUTER: ["REQ", "DEALER", "ROUTER"],
  PULL: ["PUSH"],
  PUSH: ["PULL"],
  XPUB: ["SUB", "XSUB"],
  XSUB: ["PUB", "XPUB"],
  STREAM: [],
  SERVER: ["CLIENT"],
  CLIENT: ["SERVER"],
  RADIO: ["DISH"],
  DISH: ["RADIO"],
  GATHER: ["SCATTER"],
  SCATTER: ["GATHER"],
  DGRAM: [],
  PEER: ["PEER"],
  CHANNEL: ["CHANNEL"],
};

export function isCompatible(ours: SocketTypeName, peerType: string): boolean {
  return (COMPATIBLE[ours] as readonly string[]).includes(peerType);
}

export function socketTypeName(type: number): SocketTypeName | undefined {
  for (const name in SocketType) if (SocketType[name as SocketTypeName] === type) return name as SocketTypeName;
  return undefined;
}
