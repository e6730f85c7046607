import { test } from "node:test";
import assert from "node:assert/strict";
import { decideClientIp, normaliseAddress, parseTrustedProxies } from "../../lib/http/client-ip";
import { parseEnv } from "../../lib/env";

const loopback = parseTrustedProxies("loopback");
const ip = (peer: string | null, forwardedFor: string | null, trusted = loopback) => decideClientIp({ peer, forwardedFor, trusted });

test("an untrusted peer is the client, whatever X-Forwarded-For says", () => {
  assert.equal(ip("203.0.113.9", "198.51.100.1"), "203.0.113.9");
  assert.equal(ip("203.0.113.9", null), "203.0.113.9");
  assert.equal(ip("2001:db8::7", "198.51.100.1"), "2001:db8:0:0:0:0:0:7");
});

test("behind a trusted proxy, the right-most untrusted hop is the client; hops to its left are ignored", () => {
  assert.equal(ip("127.0.0.1", "198.51.100.1"), "198.51.100.1");
  assert.equal(ip("127.0.0.1", "10.1.1.1, 6.6.6.6, 198.51.100.1"), "198.51.100.1");
  // Rotating the client-written part changes nothing.
  assert.equal(ip("127.0.0.1", "1.2.3.4, 198.51.100.1"), ip("127.0.0.1", "5.6.7.8, 198.51.100.1"));
  // Chained trusted proxies are skipped.
  const trusted = parseTrustedProxies("127.0.0.1/32, 10.0.0.0/8");
  assert.equal(ip("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.0.0.5, 10.2.0.1", trusted), "198.51.100.1");
  // No header, or only trusted hops: the nearest trusted address.
  assert.equal(ip("127.0.0.1", null), "127.0.0.1");
  assert.equal(ip("127.0.0.1", "10.0.0.5", trusted), "10.0.0.5");
});

test("IPv4-mapped IPv6 peers match IPv4 CIDRs and are reported as IPv4", () => {
  assert.equal(ip("::ffff:127.0.0.1", "198.51.100.1"), "198.51.100.1");
  assert.equal(ip("::ffff:203.0.113.9", "198.51.100.1"), "203.0.113.9");
  assert.equal(ip("::1", "2001:db8::1"), "2001:db8:0:0:0:0:0:1");
  const mapped = parseTrustedProxies("::ffff:10.0.0.0/104");
  assert.equal(ip("10.9.9.9", "198.51.100.1", mapped), "198.51.100.1");
  assert.equal(ip("11.0.0.1", "198.51.100.1", mapped), "11.0.0.1");
});

test("IPv6 CIDRs", () => {
  const trusted = parseTrustedProxies("fd00::/8");
  assert.equal(ip("fd12:3456::1", "2001:db8::5", trusted), "2001:db8:0:0:0:0:0:5");
  assert.equal(ip("fe80::1", "2001:db8::5", trusted), "fe80:0:0:0:0:0:0:1");
});

test("`none` trusts nobody, the default is loopback", () => {
  assert.equal(ip("127.0.0.1", "198.51.100.1", parseTrustedProxies("none")), "127.0.0.1");
  assert.equal(ip("127.0.0.1", "198.51.100.1", parseTrustedProxies(undefined)), "198.51.100.1");
  assert.equal(ip("127.0.0.2", "198.51.100.1", parseTrustedProxies("127.0.0.1")), "127.0.0.2");
});

test("long or malformed values are bounded: garbage hops fall back to the proxy that reported them", () => {
  const long = "x".repeat(3000);
  assert.equal(ip("127.0.0.1", long), "127.0.0.1");
  assert.equal(ip("127.0.0.1", `${long}, 198.51.100.1`), "198.51.100.1");
  assert.equal(ip("127.0.0.1", `198.51.100.1, ${long}`), "127.0.0.1");
  const many = Array.from({ length: 500 }, () => "127.0.0.1").join(",");
  assert.equal(ip("127.0.0.1", `198.51.100.1,${many}`), "127.0.0.1");
  assert.equal(ip("127.0.0.1", "[2001:db8::1]:443"), "2001:db8:0:0:0:0:0:1");
  assert.equal(ip("127.0.0.1", "198.51.100.1:5555"), "198.51.100.1");
  // No peer: the request did not come through our server.
  assert.equal(ip(null, "198.51.100.1"), "unknown");
});

test("one spelling per address", () => {
  assert.equal(normaliseAddress("2001:DB8::1"), normaliseAddress("2001:db8:0::1"));
  assert.equal(normaliseAddress("::ffff:1.2.3.4"), "1.2.3.4");
  assert.equal(normaliseAddress("1.2.3"), null);
});

test("MPDESK_TRUSTED_PROXIES is validated at start, naming the variable", () => {
  const base = { DATABASE_URL: "postgres://x@localhost/db", AUTH_SECRET: "s".repeat(32), MPDESK_ENCRYPTION_KEY: "a".repeat(64) };
  assert.throws(() => parseEnv({ ...base, MPDESK_TRUSTED_PROXIES: "10.0.0.0/33" }), /MPDESK_TRUSTED_PROXIES .*10\.0\.0\.0\/33/);
  assert.throws(() => parseEnv({ ...base, MPDESK_TRUSTED_PROXIES: "proxy.local" }), /MPDESK_TRUSTED_PROXIES/);
  assert.equal(parseEnv({ ...base, MPDESK_TRUSTED_PROXIES: "10.0.0.0/8, ::1" }).trustedProxies.length, 2);
  assert.equal(parseEnv(base).trustedProxies.length, 2);
  assert.equal(parseEnv({ ...base, MPDESK_TRUSTED_PROXIES: "none" }).trustedProxies.length, 0);
});
