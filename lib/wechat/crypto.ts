import { createCipheriv, createDecipheriv, randomBytes, randomInt } from "node:crypto";
import { protocolError } from "./errors";

// WeChat pads to 32 bytes although AES blocks are 16: pad bytes run 1..32.
const PAD_BLOCK = 32;
const RANDOM_LENGTH = 16;
const HEADER_LENGTH = RANDOM_LENGTH + 4;
const KEY_LENGTH = 32;

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const ENCODING_AES_KEY = /^[A-Za-z0-9]{43}$/;
const STRICT_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * EncodingAESKey is 43 base64 characters; adding "=" makes 32 bytes. Its last
 * character carries 2 bits nobody uses, so keys differing only there are the
 * same key (Tencent's own sample key ends in such a character).
 */
export function parseEncodingAesKey(encodingAesKey: string): Buffer {
  if (!isValidEncodingAesKey(encodingAesKey)) {
    throw protocolError("bad_key", "EncodingAESKey must be 43 characters of A-Z, a-z, 0-9");
  }
  const key = Buffer.from(encodingAesKey + "=", "base64");
  if (key.length !== KEY_LENGTH) throw protocolError("bad_key", "EncodingAESKey does not decode to 32 bytes");
  return key;
}

export function isValidEncodingAesKey(s: string): boolean {
  return typeof s === "string" && ENCODING_AES_KEY.test(s);
}

/**
 * A key the admin site accepts and that survives parse → re-encode unchanged:
 * the last character must encode 4 data bits followed by 2 zero bits.
 */
export function generateEncodingAesKey(): string {
  let key = "";
  for (let i = 0; i < 42; i++) key += ALNUM[randomInt(ALNUM.length)];
  // Base64 alphabet positions 0, 4, …, 60 all fall inside A-Za-z0-9.
  return key + ALNUM[randomInt(16) * 4];
}

/** The MP admin site accepts Tokens of 3–32 characters. */
export function generateToken(length = 32): string {
  if (!Number.isInteger(length) || length < 3 || length > 32) {
    throw new RangeError("WeChat Tokens are 3-32 characters long");
  }
  let token = "";
  for (let i = 0; i < length; i++) token += ALNUM[randomInt(ALNUM.length)];
  return token;
}

/**
 * Decrypts an Encrypt element. `keys` is [current, previous]: while the admin
 * rotates the EncodingAESKey WeChat may still use the old one for a while, and
 * the reply must be encrypted with whichever key worked (`keyIndex`).
 *
 * Verify msg_signature first: the distinct failure reasons are only harmless
 * because a sender without the Token never gets this far.
 */
export function decryptMessage(encrypt: string, keys: Buffer[], appId: string): { plaintext: string; keyIndex: number } {
  const ciphertext = decodeCiphertext(encrypt);
  if (keys.length === 0) throw protocolError("bad_key", "no decryption key configured");
  let firstError: unknown;
  for (let keyIndex = 0; keyIndex < keys.length; keyIndex++) {
    try {
      return { plaintext: decryptWithKey(ciphertext, keys[keyIndex]!, appId), keyIndex };
    } catch (err) {
      // The first key's reason is the meaningful one (e.g. appid_mismatch);
      // an old key naturally fails with noise such as bad_padding.
      if (keyIndex === 0) firstError = err;
    }
  }
  throw firstError;
}

/** Encrypts a reply; base64 of AES-256-CBC(random16 ‖ len ‖ msg ‖ appId ‖ pad). */
export function encryptMessage(plaintext: string, key: Buffer, appId: string, random16?: Buffer | string): string {
  assertKey(key);
  const random = random16 === undefined ? randomBytes(RANDOM_LENGTH) : typeof random16 === "string" ? Buffer.from(random16, "utf8") : random16;
  if (random.length !== RANDOM_LENGTH) {
    throw new RangeError(`random prefix must be ${RANDOM_LENGTH} bytes, got ${random.length}`);
  }
  const msg = Buffer.from(plaintext, "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(msg.length, 0);
  const content = Buffer.concat([random, length, msg, Buffer.from(appId, "utf8")]);
  // Already-aligned content still gets a whole block of padding, as in PKCS#7.
  const pad = PAD_BLOCK - (content.length % PAD_BLOCK);
  const padded = Buffer.concat([content, Buffer.alloc(pad, pad)]);

  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString("base64");
}

function decodeCiphertext(encrypt: string): Buffer {
  // Buffer.from(…, "base64") silently skips junk; we want garbage reported as such.
  if (typeof encrypt !== "string" || encrypt.length % 4 !== 0 || !STRICT_BASE64.test(encrypt)) {
    throw protocolError("bad_base64", "Encrypt is not valid base64");
  }
  const ciphertext = Buffer.from(encrypt, "base64");
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
    throw protocolError("bad_ciphertext", `ciphertext length ${ciphertext.length} is not a positive multiple of 16`);
  }
  return ciphertext;
}

function decryptWithKey(ciphertext: Buffer, key: Buffer, appId: string): string {
  assertKey(key);
  const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
  // Node's automatic PKCS#7 assumes 16-byte blocks and throws on WeChat's
  // 32-byte padding (the official sample has pad 19), so strip it by hand.
  decipher.setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()]);

  const pad = padded[padded.length - 1]!;
  if (pad < 1 || pad > PAD_BLOCK || pad > padded.length) {
    throw protocolError("bad_padding", "invalid padding (wrong key?)");
  }
  for (let i = padded.length - pad; i < padded.length; i++) {
    if (padded[i] !== pad) throw protocolError("bad_padding", "invalid padding (wrong key?)");
  }
  const content = padded.subarray(0, padded.length - pad);

  // A wrong key can still end in plausible padding; the length field then
  // holds garbage and must not be trusted to index the buffer.
  if (content.length < HEADER_LENGTH) throw protocolError("bad_length", "decrypted content too short");
  const msgLength = content.readUInt32BE(RANDOM_LENGTH);
  if (HEADER_LENGTH + msgLength > content.length) {
    throw protocolError("bad_length", "length field exceeds decrypted content");
  }
  const msg = content.subarray(HEADER_LENGTH, HEADER_LENGTH + msgLength);

  // The AppID tail is what binds the message to this account (third-party
  // platforms encrypt for many accounts with one key). Some SDKs skip it.
  if (!content.subarray(HEADER_LENGTH + msgLength).equals(Buffer.from(appId, "utf8"))) {
    throw protocolError("appid_mismatch", "message is for a different AppID");
  }
  return msg.toString("utf8");
}

function assertKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_LENGTH) {
    throw protocolError("bad_key", `AES key must be ${KEY_LENGTH} bytes`);
  }
}
