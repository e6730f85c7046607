import { createHash, timingSafeEqual } from "node:crypto";

/**
 * WeChat's signature: sha1 over the parts sorted lexicographically and
 * concatenated. Default JS sort (UTF-16 code-unit order) matches WeChat's for
 * the ASCII values it signs.
 */
export function computeSignature(...parts: string[]): string {
  const joined = [...parts].sort().join("");
  return createHash("sha1").update(joined, "utf8").digest("hex");
}

/** GET verification and plaintext POSTs: signature over token, timestamp, nonce. */
export function verifySignature(p: { token: string; timestamp: string; nonce: string; signature: string }): boolean {
  return matchesSignature(computeSignature(p.token, p.timestamp, p.nonce), p.signature);
}

/**
 * Encrypted POSTs: msg_signature also covers the Encrypt element. Check this
 * before decrypting, so the decryptor's distinct failure reasons can never be
 * used as a padding oracle by someone who does not know the Token.
 */
export function verifyMsgSignature(p: { token: string; timestamp: string; nonce: string; encrypt: string; msgSignature: string }): boolean {
  return matchesSignature(computeSignature(p.token, p.timestamp, p.nonce, p.encrypt), p.msgSignature);
}

// Constant time so response timing does not reveal how many leading
// characters of a forged signature were right.
function matchesSignature(expectedHex: string, given: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(expectedHex, "utf8");
  const b = Buffer.from(given.toLowerCase(), "utf8");
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
