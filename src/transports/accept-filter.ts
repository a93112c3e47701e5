// TCP_ACCEPT_FILTER: a bound tcp socket closes, at once, every accepted connection whose peer
// address matches none of the filters (no filters: everyone is welcome). As in libzmq
// (tcp_address_mask_t), a filter is a numeric IP address with an optional CIDR mask,
// "10.0.0.0/8" or "::1/128"; no host names. IPv6 filters need the ipv6 option; a missing
// mask means the whole address (/32 or /128); "/" with nothing after it is invalid.

import { BlockList, isIP } from "node:net";
import { zmqError } from "../errors";

export interface AcceptFilterRule {
  readonly address: string;
  readonly family: "ipv4" | "ipv6";
  readonly prefix: number;
}

/** Parses one filter string; throws EINVAL as libzmq's setsockopt does (with `address`, if given). */
export function parseAcceptFilter(text: string, ipv6: boolean, address?: string): AcceptFilterRule {
  const slash = text.lastIndexOf("/");
  let host = slash < 0 ? text : text.slice(0, slash);
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  const version = isIP(host);
  if (version === 0 || (version === 6 && !ipv6)) throw zmqError("EINVAL", undefined, address);
  const family = version === 6 ? "ipv6" : "ipv4";
  const bits = version === 6 ? 128 : 32;
  if (slash < 0) return { address: host, family, prefix: bits };
  const mask = text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(mask) || Number(mask) > bits) throw zmqError("EINVAL", undefined, address);
  return { address: host, family, prefix: Number(mask) };
}

/** Decides, for each accepted connection, whether its peer passes the filters. */
export class AcceptFilter {
  #list: BlockList | undefined;

  /** Throws EINVAL on a malformed filter, with `address` (the endpoint being bound) if given. */
  constructor(filters: readonly string[] | undefined, ipv6: boolean, address?: string) {
    if (filters === undefined || filters.length === 0) return;
    const list = new BlockList();
    for (const text of filters) {
      const rule = parseAcceptFilter(text, ipv6, address);
      list.addSubnet(rule.address, rule.prefix, rule.family);
    }
    this.#list = list;
  }

  /**
   * Node's BlockList also matches an IPv4 rule against the same peer seen as "::ffff:a.b.c.d"
   * on a dual-stack listener, which libzmq gets by resolving filters as IPv6 when ipv6 is set.
   */
  accepts(remoteAddress: string | undefined, remoteFamily: string | undefined): boolean {
    if (this.#list === undefined) return true;
    if (remoteAddress === undefined) return false;
    return this.#list.check(remoteAddress, remoteFamily === "IPv6" ? "ipv6" : "ipv4");
  }
}
