// Host resolution for tcp (and later ws): endpoint host -> IP literal, with libzmq's rules
// (ip_resolver.cpp):
// - without the ipv6 option only IPv4 is used: an IPv6 literal does not resolve, and names are
//   looked up as A records only;
// - with it, lookups ask for IPv6 and accept IPv4 mapped into IPv6 (AI_V4MAPPED), and a bound
//   IPv4 literal becomes "::ffff:a.b.c.d" (libzmq reports tcp://[::ffff:127.0.0.1]:port);
// - bind accepts "*" (every interface) and network interface names ("lo", "eth0");
// - a bind address that does not resolve fails with ENODEV, a connect address with EINVAL.

import { lookup, V4MAPPED } from "node:dns";
import { isIP, isIPv4 } from "node:net";
import { networkInterfaces } from "node:os";
import { zmqError, type ZmqError } from "../errors";

/** Resolves a host for bind (or for a connect's source address). Rejects with ENODEV. */
export async function resolveBindHost(host: string, ipv6: boolean, address: string): Promise<string> {
  if (host === "*") return ipv6 ? "::" : "0.0.0.0";
  const nic = interfaceAddress(host, ipv6);
  if (nic !== undefined) return nic;
  if (isIP(host) !== 0) {
    if (isIPv4(host)) return ipv6 ? `::ffff:${host}` : host;
    if (ipv6) return host;
    throw noDevice(address);
  }
  return lookupHost(host, ipv6).catch(() => {
    throw noDevice(address);
  });
}

/** Resolves a host to dial. Rejects with EINVAL (libzmq then retries the connect later). */
export async function resolveDialHost(host: string, ipv6: boolean, address: string): Promise<string> {
  const family = isIP(host);
  if (family === 4) return host;
  if (family === 6) {
    if (ipv6) return host;
    throw zmqError("EINVAL", undefined, address);
  }
  return lookupHost(host, ipv6).catch(() => {
    throw zmqError("EINVAL", undefined, address);
  });
}

/** The first address of the named interface in the wanted family, as libzmq's resolve_nic_name. */
function interfaceAddress(name: string, ipv6: boolean): string | undefined {
  const family = ipv6 ? "IPv6" : "IPv4";
  const entry = networkInterfaces()[name]?.find((info) => info.family === family);
  if (entry === undefined) return undefined;
  // A link-local IPv6 address is only usable with its zone.
  return entry.family === "IPv6" && entry.scopeid ? `${entry.address}%${name}` : entry.address;
}

/** zeromq.js shows the strerror text for codes it has no message of its own for. */
function noDevice(address: string): ZmqError {
  return zmqError("ENODEV", "No such device", address);
}

function lookupHost(host: string, ipv6: boolean): Promise<string> {
  const options = ipv6 ? { family: 6, hints: V4MAPPED } : { family: 4 };
  return new Promise((resolve, reject) => {
    lookup(host, options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}
