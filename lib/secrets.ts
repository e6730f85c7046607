import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { AppError } from "./app-error";

// AES-256-GCM envelopes for secrets at rest (AppSecret, EncodingAESKey, access_token).
// Format: version prefix + base64(iv ‖ tag ‖ ciphertext).
//   v2: the additional authenticated data (AAD) is "<table>.<column>:<row id>", so an envelope
//       decrypts only in the cell it was written for: one copied to another row or column (by
//       someone who can write the database but lacks the key) fails its tag check.
//   v1: no AAD (mpdesk before envelopes were bound to their cell). Read only by the upgrade that
//       `npm start` runs once after migrating (lib/upgrade-secret-envelopes.ts): if ordinary reads
//       accepted v1, an old envelope replayed into any cell would still decrypt there.
const V2 = "v2:";
const V1 = "v1:";

/** The cells that hold envelopes. The name is part of the AAD: renaming one breaks its envelopes. */
export type SecretCell = "account.app_secret" | "account.encoding_aes_key" | "account.previous_encoding_aes_key" | "access_token.token";

export function secretAad(cell: SecretCell, rowId: string): string {
  return `${cell}:${rowId}`;
}

const envelopeError = (message: string) => new AppError("SECRET_ENVELOPE", { message });

function seal(plaintext: string, key: Buffer, aad: string | null): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  if (aad !== null) cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

function open(body: string, key: Buffer, aad: string | null): string {
  const raw = Buffer.from(body, "base64");
  if (raw.length < 28) throw envelopeError("secret envelope too short");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  if (aad !== null) decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    // Wrong key, tampered bytes, or an envelope that belongs to another cell: GCM cannot tell them apart.
    throw envelopeError("secret envelope does not decrypt here (another key, another row or column, or altered)");
  }
}

export function encryptSecret(plaintext: string, key: Buffer, cell: SecretCell, rowId: string): string {
  return V2 + seal(plaintext, key, secretAad(cell, rowId)).toString("base64");
}

export function decryptSecret(envelope: string, key: Buffer, cell: SecretCell, rowId: string): string {
  if (envelope.startsWith(V2)) return open(envelope.slice(V2.length), key, secretAad(cell, rowId));
  if (envelope.startsWith(V1)) throw envelopeError("secret envelope from an older mpdesk (v1): start mpdesk with `npm start` once to upgrade it");
  throw envelopeError("unknown secret envelope version");
}

export function isLegacyEnvelope(envelope: string): boolean {
  return envelope.startsWith(V1);
}

/** Only for the one-time upgrade: a v1 envelope's plaintext. */
export function decryptLegacySecret(envelope: string, key: Buffer): string {
  if (!envelope.startsWith(V1)) throw envelopeError("not a v1 secret envelope");
  return open(envelope.slice(V1.length), key, null);
}

/** Only for tests of the upgrade: what mpdesk wrote before envelopes carried AAD. */
export function encryptLegacySecret(plaintext: string, key: Buffer): string {
  return V1 + seal(plaintext, key, null).toString("base64");
}

/** What the browser may see of a secret: its last four characters. */
export function maskSecret(value: string): string {
  return value.length <= 4 ? "••••" : `••••${value.slice(-4)}`;
}
