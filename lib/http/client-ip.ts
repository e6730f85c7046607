import { isIP } from "node:net";

// The one decision of "who is the client": the socket peer, unless that peer is a trusted proxy;
// then the right-most X-Forwarded-For hop that is not itself a trusted proxy. Hops to the left of
// it were written by the client and prove nothing, so rotating or padding them changes nothing.
//
// Route handlers and server actions cannot see the socket: the process that owns the HTTP server
// (scripts/lib/peer-header.mjs, preloaded into `next start`) deletes any incoming PEER_HEADER and sets it from the socket, so its value
// cannot come from a client.

export const PEER_HEADER = "x-mpdesk-peer";

/** A parsed CIDR: the address as bytes (IPv4 as 4, IPv6 as 16) and its prefix length. */
type Cidr = { bytes: Uint8Array; prefix: number };
export type TrustedProxies = readonly Cidr[];

const LOOPBACK = ["127.0.0.0/8", "::1/128"];
// A client cannot make us read further than this into a long header.
const MAX_HOPS = 32;
// Longer than any textual IPv6 address with a zone: anything beyond is not an address.
const MAX_ADDRESS_LENGTH = 64;

/**
 * Parses MPDESK_TRUSTED_PROXIES: comma-separated CIDRs or single addresses (IPv4, IPv6,
 * IPv4-mapped IPv6), the word `loopback`, or `none`. Throws with the offending entry.
 */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const text = (value ?? "").trim() || "loopback";
  if (text.toLowerCase() === "none") return [];
  const out: Cidr[] = [];
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    if (entry.toLowerCase() === "loopback") {
      out.push(...LOOPBACK.map((c) => parseCidr(c)!));
      continue;
    }
    const cidr = parseCidr(entry);
    if (!cidr) throw new Error(`"${entry.slice(0, 80)}" is not a CIDR (e.g. 10.0.0.0/8, fd00::/8, 203.0.113.7), "loopback" or "none"`);
    out.push(cidr);
  }
  return out;
}

function parseCidr(entry: string): Cidr | null {
  const slash = entry.indexOf("/");
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const bytes = addressBytes(address);
  if (!bytes) return null;
  if (slash === -1) return { bytes, prefix: bytes.length * 8 };
  const p = entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(p)) return null;
  // An IPv4-mapped IPv6 CIDR (::ffff:10.0.0.0/104) is the IPv4 CIDR it maps.
  const prefix = bytes.length === 4 && isIP(address) === 6 ? Number(p) - 96 : Number(p);
  if (prefix < 0 || prefix > bytes.length * 8) return null;
  return { bytes, prefix };
}

/** The address as bytes; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) becomes its 4 IPv4 bytes. */
function addressBytes(address: string): Uint8Array | null {
  const kind = isIP(address);
  if (kind === 4) return Uint8Array.from(address.split(".").map(Number));
  if (kind !== 6) return null;
  const bytes = ipv6Bytes(address.replace(/%.*$/, ""));
  if (!bytes) return null;
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12) : bytes;
}

function ipv6Bytes(address: string): Uint8Array | null {
  let text = address;
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    tail.push(...v4[1]!.split(".").map(Number));
    text = text.slice(0, -v4[1]!.length) + "0:0";
  }
  const [head, rest] = text.split("::") as [string, string | undefined];
  const parse = (s: string) => (s ? s.split(":").map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const groups = rest === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return null;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  if (tail.length) bytes.set(tail, 12);
  return bytes;
}

function contains(cidr: Cidr, bytes: Uint8Array): boolean {
  if (cidr.bytes.length !== bytes.length) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((cidr.bytes[i]! & mask) !== (bytes[i]! & mask)) return false;
  }
  return true;
}

/** The canonical text of an address (IPv4-mapped IPv6 as plain IPv4, brackets and ports dropped), or null. */
export function normaliseAddress(value: string): string | null {
  let v = value.trim();
  if (!v || v.length > MAX_ADDRESS_LENGTH) return null;
  // "[2001:db8::1]:443" and "203.0.113.7:443" as some proxies write them.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(":"));
  const bytes = addressBytes(v);
  if (!bytes) return null;
  if (bytes.length === 4) return bytes.join(".");
  // One spelling per address (no "::" compression), so 2001:DB8::1 and 2001:db8:0::1 are one client.
  return Array.from({ length: 8 }, (_, i) => ((bytes[i * 2]! << 8) | bytes[i * 2 + 1]!).toString(16)).join(":");
}

function isTrusted(address: string, trusted: TrustedProxies): boolean {
  const bytes = addressBytes(address);
  return !!bytes && trusted.some((c) => contains(c, bytes));
}

/**
 * The client's address. `peer` is the socket's remote address (null when the request did not
 * come through our server); `forwardedFor` the X-Forwarded-For header as received.
 */
export function decideClientIp(input: { peer: string | null; forwardedFor: string | null; trusted: TrustedProxies }): string {
  const peer = input.peer === null ? null : normaliseAddress(input.peer);
  if (!peer) return "unknown";
  if (!isTrusted(peer, input.trusted) || !input.forwardedFor) return peer;
  // Walk from the right: each hop was appended by the proxy to its right, which we trust.
  let nearest = peer;
  const hops = input.forwardedFor.split(",");
  for (let i = hops.length - 1, seen = 0; i >= 0 && seen < MAX_HOPS; i--, seen++) {
    const hop = normaliseAddress(hops[i]!);
    // A hop that is no address: the trusted proxy to its right is the last thing we know.
    if (!hop) return nearest;
    if (!isTrusted(hop, input.trusted)) return hop;
    nearest = hop;
  }
  return nearest;
}

/** The client's address of a request that came through our server. */
export function clientIpOf(headers: Headers, trusted: TrustedProxies): string {
  return decideClientIp({ peer: headers.get(PEER_HEADER), forwardedFor: headers.get("x-forwarded-for"), trusted });
}
