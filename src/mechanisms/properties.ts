import type { Property } from "../zmtp/metadata";
import { IDENTITY, SOCKET_TYPE } from "../zmtp/metadata";
import type { MechanismOptions } from "./mechanism";

/**
 * The properties every mechanism announces in its READY (or INITIATE), in the order
 * libzmq 4.3 sends them (mechanism_t::add_basic_properties): Socket-Type; then Identity
 * for REQ, DEALER and ROUTER, possibly empty (RFC 37 "The Identity Property": "A REQ,
 * DEALER, or ROUTER peer connecting to a ROUTER MAY announce its identity"); then the
 * application's own metadata.
 */
export function basicProperties(options: MechanismOptions): Property[] {
  const properties: Property[] = [[SOCKET_TYPE, options.socketType]];
  const type = options.socketType;
  if (type === "REQ" || type === "DEALER" || type === "ROUTER") {
    properties.push([IDENTITY, options.routingId ?? Buffer.alloc(0)]);
  }
  if (options.metadata !== undefined) {
    for (const [name, value] of options.metadata) properties.push([name, value]);
  }
  return properties;
}
