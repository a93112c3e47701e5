import type { Message } from "../message";
import type { SocketTypeName } from "../socket-type";
import { CANCEL, encodePong, parsePing, PING, splitCommand, SUBSCRIBE } from "../zmtp/commands";
import { ProtocolError } from "../zmtp/protocol-error";

/** What the engine does about one command received after the handshake. */
export type TrafficAction =
  | { action: "ignore" }
  /** Answer a PING; `ttl` is the peer's, in deciseconds (0 = none). */
  | { action: "pong"; body: Buffer; ttl: number }
  /** Hand a subscription to the socket as a message. */
  | { action: "deliver"; message: Message }
  | { action: "fault"; error: ProtocolError };

const IGNORE: TrafficAction = { action: "ignore" };

/**
 * Commands after the handshake (RFC 37): PING is answered with PONG, SUBSCRIBE and
 * CANCEL become messages, and anything else (PONG included, which only proves the peer
 * alive) is ignored, as libzmq's session ignores commands it does not know.
 */
export function readTrafficCommand(body: Buffer, socketType: SocketTypeName): TrafficAction {
  const command = splitCommand(body);
  if (command instanceof ProtocolError) return { action: "fault", error: command };
  switch (command.name) {
    case PING: {
      // "When a peer receives a PING command it SHALL respond with a PONG command that
      // echoes the ping-context".
      const ping = parsePing(command.data);
      if (ping instanceof ProtocolError) return { action: "fault", error: ping };
      return { action: "pong", body: encodePong(ping.context), ttl: ping.ttl };
    }
    case SUBSCRIBE:
      return subscription(1, command.data, socketType);
    case CANCEL:
      return subscription(0, command.data, socketType);
    default:
      return IGNORE;
  }
}

/**
 * A ZMTP 3.1 SUBSCRIBE/CANCEL reaches the socket as the ZMTP 3.0 message (1 or 0, then
 * the topic), so publishers see one form from every peer. Only PUB and XPUB take them.
 */
function subscription(prefix: 0 | 1, topic: Buffer, socketType: SocketTypeName): TrafficAction {
  if (socketType !== "PUB" && socketType !== "XPUB") return IGNORE;
  const frame = Buffer.allocUnsafe(1 + topic.length);
  frame[0] = prefix;
  topic.copy(frame, 1);
  return { action: "deliver", message: [frame] };
}
