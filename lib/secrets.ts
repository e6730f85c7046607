import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// AES-256-GCM envelopes for secrets at rest (AppSecret, EncodingAESKey, access_token).
// Format: "v1:" + base64(iv ‖ tag ‖ ciphertext). The version prefix leaves room for key rotation.
const VERSION = "v1:";

export function encryptSecret(plaintext: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64");
}

export function decryptSecret(envelope: string, key: Buffer): string {
  if (!envelope.startsWith(VERSION)) throw new Error("unknown secret envelope version");
  const raw = Buffer.from(envelope.slice(VERSION.length), "base64");
  if (raw.length < 28) throw new Error("secret envelope too short");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

/** What the browser may see of a secret: its last four characters. */
export function maskSecret(value: string): string {
  return value.length <= 4 ? "••••" : `••••${value.slice(-4)}`;
}
