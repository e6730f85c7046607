import { test } from "node:test";
import assert from "node:assert/strict";
import { createCipheriv, createDecipheriv, randomBytes, randomInt } from "node:crypto";
import { decryptMessage, encryptMessage, generateEncodingAesKey, generateToken, isValidEncodingAesKey, parseEncodingAesKey } from "../../lib/wechat/crypto";
import { isAppError, type AppError } from "../../lib/app-error";
import type { ProtocolErrorReason } from "../../lib/wechat/errors";

// Official safe-mode example (protocol doc §7).
const OFFICIAL = {
  encodingAesKey: "A".repeat(43),
  appId: "wxba5fad812f8e6fb9",
  encrypt:
    "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=",
  plaintext:
    '{"ToUserName":"gh_97417a04a28d","FromUserName":"o9AgO5Kd5ggOC-bXrbNODIiE3bGY","CreateTime":1714112445,"MsgType":"event","Event":"debug_demo","debug_str":"hello world"}',
  reply: '{"demo_resp":"good luck"}',
  replyRandom: "707722b803182950",
  replyEncrypt: "ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==",
};

// Tencent's Java sample (deterministic encryption).
const JAVA = {
  encodingAesKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
  appId: "wxb11529c136998cb6",
  random: "aaaabbbbccccdddd",
  message: "我是中文abcd123",
  encrypt: "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==",
};

function assertProtocolError(fn: () => unknown, reasons: ProtocolErrorReason | ProtocolErrorReason[]): AppError<"WECHAT_PROTOCOL"> {
  const allowed = Array.isArray(reasons) ? reasons : [reasons];
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(isAppError(caught, "WECHAT_PROTOCOL"), `expected a WECHAT_PROTOCOL error, got ${String(caught)}`);
  assert.ok(allowed.includes(caught.reason), `reason ${caught.reason} not in ${allowed.join("/")}`);
  return caught;
}

/** AES-256-CBC with WeChat's IV and no padding: lets tests forge any plaintext layout. */
function rawEncrypt(plain: Buffer, key: Buffer): string {
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString("base64");
}

function rawDecrypt(encrypt: string, key: Buffer): Buffer {
  const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(Buffer.from(encrypt, "base64")), decipher.final()]);
}

function frame(msg: Buffer, appId: string, lengthField = msg.length): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(lengthField, 0);
  return Buffer.concat([Buffer.from("0123456789abcdef"), len, msg, Buffer.from(appId)]);
}

function padTo32(content: Buffer, padByte?: number): Buffer {
  const pad = 32 - (content.length % 32);
  return Buffer.concat([content, Buffer.alloc(pad, padByte ?? pad)]);
}

const officialKey = parseEncodingAesKey(OFFICIAL.encodingAesKey);
const javaKey = parseEncodingAesKey(JAVA.encodingAesKey);

test("parseEncodingAesKey: 43 chars + '=' decode to the 32-byte key", () => {
  assert.deepEqual(officialKey, Buffer.alloc(32, 0));
  assert.equal(javaKey.length, 32);
  assert.deepEqual(javaKey, Buffer.from(JAVA.encodingAesKey + "=", "base64"));
});

test("parseEncodingAesKey refuses anything but 43 alphanumerics", () => {
  for (const bad of [
    "",
    "A".repeat(42),
    "A".repeat(44),
    "A".repeat(42) + "+",
    "A".repeat(42) + "/",
    "A".repeat(42) + "=",
    " " + "A".repeat(42),
    "A".repeat(42) + "é",
    "A".repeat(42) + "\n",
  ]) {
    assertProtocolError(() => parseEncodingAesKey(bad), "bad_key");
    assert.equal(isValidEncodingAesKey(bad), false, JSON.stringify(bad));
  }
  assert.equal(isValidEncodingAesKey(OFFICIAL.encodingAesKey), true);
  assert.equal(isValidEncodingAesKey(JAVA.encodingAesKey), true);
});

test("keys differing only in the last character's unused bits are the same key", () => {
  // 'G' (index 6) and 'E' (index 4) differ only in the 2 bits base64 drops.
  assert.deepEqual(parseEncodingAesKey(JAVA.encodingAesKey), parseEncodingAesKey(JAVA.encodingAesKey.slice(0, 42) + "E"));
});

test("generateEncodingAesKey yields valid keys that round-trip exactly", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 300; i++) {
    const k = generateEncodingAesKey();
    assert.equal(isValidEncodingAesKey(k), true, k);
    const key = parseEncodingAesKey(k);
    assert.equal(key.toString("base64"), k + "=");
    seen.add(k);
  }
  assert.equal(seen.size, 300);
});

test("generateToken yields random alphanumerics within WeChat's 3-32 limit", () => {
  const t = generateToken();
  assert.match(t, /^[A-Za-z0-9]{32}$/);
  assert.notEqual(generateToken(), t);
  assert.match(generateToken(3), /^[A-Za-z0-9]{3}$/);
  assert.match(generateToken(16), /^[A-Za-z0-9]{16}$/);
  for (const bad of [0, 2, 33, 1.5, Number.NaN]) assert.throws(() => generateToken(bad), RangeError);
});

test("official safe-mode vector decrypts (pad 19) to the exact JSON", () => {
  const result = decryptMessage(OFFICIAL.encrypt, [officialKey], OFFICIAL.appId);
  assert.equal(result.plaintext, OFFICIAL.plaintext);
  assert.equal(result.keyIndex, 0);
  assert.equal(JSON.parse(result.plaintext).debug_str, "hello world");
  const raw = rawDecrypt(OFFICIAL.encrypt, officialKey);
  assert.equal(raw[raw.length - 1], 19);
});

test("Node's default auto-padding cannot handle WeChat's 32-byte padding (why we strip by hand)", () => {
  const decipher = createDecipheriv("aes-256-cbc", officialKey, officialKey.subarray(0, 16));
  decipher.update(Buffer.from(OFFICIAL.encrypt, "base64"));
  assert.throws(() => decipher.final());
});

test("official reply encryption with random 707722b803182950 gives the published ciphertext", () => {
  assert.equal(encryptMessage(OFFICIAL.reply, officialKey, OFFICIAL.appId, OFFICIAL.replyRandom), OFFICIAL.replyEncrypt);
  assert.equal(encryptMessage(OFFICIAL.reply, officialKey, OFFICIAL.appId, Buffer.from(OFFICIAL.replyRandom)), OFFICIAL.replyEncrypt);
  assert.equal(decryptMessage(OFFICIAL.replyEncrypt, [officialKey], OFFICIAL.appId).plaintext, OFFICIAL.reply);
});

test("Tencent Java sample: deterministic encryption of 我是中文abcd123", () => {
  assert.equal(encryptMessage(JAVA.message, javaKey, JAVA.appId, JAVA.random), JAVA.encrypt);
  assert.deepEqual(decryptMessage(JAVA.encrypt, [javaKey], JAVA.appId), { plaintext: JAVA.message, keyIndex: 0 });
});

test("encryption uses fresh randomness by default", () => {
  const a = encryptMessage("same", officialKey, OFFICIAL.appId);
  const b = encryptMessage("same", officialKey, OFFICIAL.appId);
  assert.notEqual(a, b);
  assert.equal(decryptMessage(a, [officialKey], OFFICIAL.appId).plaintext, "same");
});

test("round trip: ASCII messages of every length 0..100 bytes", () => {
  const key = parseEncodingAesKey(generateEncodingAesKey());
  for (let len = 0; len <= 100; len++) {
    const msg = randomBytes(len).toString("base64").slice(0, len).padEnd(len, "x");
    const appId = "wx" + randomBytes(8).toString("hex");
    const enc = encryptMessage(msg, key, appId);
    const bytes = Buffer.from(enc, "base64");
    assert.equal(bytes.length % 32, 0);
    assert.deepEqual(decryptMessage(enc, [key], appId), { plaintext: msg, keyIndex: 0 });
  }
});

test("round trip: random multi-byte UTF-8 of many lengths", () => {
  const alphabet = ["a", "Z", "0", " ", "\n", "\r", "\t", "\u0000", "é", "ß", "中", "文", "€", "😀", "👨‍👩‍👧", "]]>", "<", "&"];
  const key = parseEncodingAesKey(generateEncodingAesKey());
  for (let i = 0; i < 300; i++) {
    let msg = "";
    const target = randomInt(0, 101);
    while (Buffer.byteLength(msg) < target) msg += alphabet[randomInt(alphabet.length)];
    const enc = encryptMessage(msg, key, JAVA.appId);
    assert.equal(decryptMessage(enc, [key], JAVA.appId).plaintext, msg);
  }
});

test("already-aligned content still gets a full 32-byte pad block", () => {
  // 20-byte header + 26-byte message + 18-byte AppID = 64 bytes.
  const enc = encryptMessage("x".repeat(26), officialKey, OFFICIAL.appId);
  assert.equal(Buffer.from(enc, "base64").length, 96);
  const raw = rawDecrypt(enc, officialKey);
  assert.deepEqual(raw.subarray(64), Buffer.alloc(32, 32));
  assert.equal(decryptMessage(enc, [officialKey], OFFICIAL.appId).plaintext, "x".repeat(26));
});

test("key rotation: a message under the previous key decrypts with [current, previous]", () => {
  const oldKey = parseEncodingAesKey(generateEncodingAesKey());
  const newKey = parseEncodingAesKey(generateEncodingAesKey());
  const enc = encryptMessage("<xml><Content><![CDATA[hi]]></Content></xml>", oldKey, OFFICIAL.appId);
  assert.deepEqual(decryptMessage(enc, [newKey, oldKey], OFFICIAL.appId), {
    plaintext: "<xml><Content><![CDATA[hi]]></Content></xml>",
    keyIndex: 1,
  });
  assert.equal(decryptMessage(enc, [oldKey, newKey], OFFICIAL.appId).keyIndex, 0);
  assertProtocolError(() => decryptMessage(enc, [newKey], OFFICIAL.appId), ["bad_padding", "bad_length", "appid_mismatch"]);
});

test("wrong AppID tail → appid_mismatch, even with a second key that also fails", () => {
  assertProtocolError(() => decryptMessage(OFFICIAL.encrypt, [officialKey], "wxba5fad812f8e6fb8"), "appid_mismatch");
  assertProtocolError(() => decryptMessage(OFFICIAL.encrypt, [officialKey], "wxba5fad812f8e6fb"), "appid_mismatch");
  assertProtocolError(() => decryptMessage(OFFICIAL.encrypt, [officialKey], "wxba5fad812f8e6fb99"), "appid_mismatch");
  const other = parseEncodingAesKey(generateEncodingAesKey());
  assertProtocolError(() => decryptMessage(OFFICIAL.encrypt, [officialKey, other], "wx0000000000000000"), "appid_mismatch");
});

test("garbage base64 → bad_base64", () => {
  for (const bad of [
    "",
    "not base64!!",
    "abc",
    "ab=c",
    "====",
    "AAAA AAAA",
    "AAAA\nAAAA",
    OFFICIAL.encrypt + "\n",
    OFFICIAL.encrypt.replace("+", "-"),
    "AAAAAAAAAAAAAAAAAAAAAA===",
  ]) {
    assertProtocolError(() => decryptMessage(bad, [officialKey], OFFICIAL.appId), "bad_base64");
  }
});

test("truncated ciphertext → bad_ciphertext", () => {
  const bytes = Buffer.from(OFFICIAL.encrypt, "base64");
  for (const cut of [1, 5, 15, 17]) {
    const truncated = bytes.subarray(0, bytes.length - cut).toString("base64");
    assertProtocolError(() => decryptMessage(truncated, [officialKey], OFFICIAL.appId), "bad_ciphertext");
  }
  assertProtocolError(() => decryptMessage("AAAA", [officialKey], OFFICIAL.appId), "bad_ciphertext");
});

test("truncated by whole blocks → an error, never a success", () => {
  const bytes = Buffer.from(OFFICIAL.encrypt, "base64");
  for (let cut = 16; cut < bytes.length; cut += 16) {
    const truncated = bytes.subarray(0, bytes.length - cut).toString("base64");
    assertProtocolError(() => decryptMessage(truncated, [officialKey], OFFICIAL.appId), ["bad_padding", "bad_length", "appid_mismatch"]);
  }
});

test("tampered last block → bad_padding (or, if the garbage mimics valid padding, a later check) — never a crash or success", () => {
  const bytes = Buffer.from(OFFICIAL.encrypt, "base64");
  const seen = new Map<string, number>();
  for (let pos = bytes.length - 16; pos < bytes.length; pos++) {
    for (const flip of [0x01, 0x80, 0xff, 0x5a]) {
      const tampered = Buffer.from(bytes);
      tampered[pos]! ^= flip;
      const err = assertProtocolError(
        () => decryptMessage(tampered.toString("base64"), [officialKey], OFFICIAL.appId),
        // A garbage block ends in 0x01 with probability 1/256: that is valid
        // padding, and then the AppID check rejects it.
        ["bad_padding", "bad_length", "appid_mismatch"],
      );
      seen.set(err.reason, (seen.get(err.reason) ?? 0) + 1);
    }
  }
  assert.ok((seen.get("bad_padding") ?? 0) >= 50, JSON.stringify([...seen]));
});

test("every possible pad byte value is checked", () => {
  const content = frame(Buffer.from("hello"), OFFICIAL.appId); // 43 bytes → pad 21
  for (let v = 0; v < 256; v++) {
    const padded = padTo32(content, v);
    const enc = rawEncrypt(padded, officialKey);
    if (v === 21) {
      assert.equal(decryptMessage(enc, [officialKey], OFFICIAL.appId).plaintext, "hello");
    } else if (v >= 1 && v < 21) {
      // Looks like a shorter valid pad; the leftover bytes then spoil the AppID tail.
      assertProtocolError(() => decryptMessage(enc, [officialKey], OFFICIAL.appId), "appid_mismatch");
    } else {
      assertProtocolError(() => decryptMessage(enc, [officialKey], OFFICIAL.appId), "bad_padding");
    }
  }
});

test("pad of 0 or above 32 → bad_padding; pad of exactly 32 is accepted", () => {
  const content = frame(Buffer.from("x".repeat(26)), OFFICIAL.appId); // 64 bytes
  assertProtocolError(
    () => decryptMessage(rawEncrypt(Buffer.concat([content, Buffer.alloc(32, 0)]), officialKey), [officialKey], OFFICIAL.appId),
    "bad_padding",
  );
  assertProtocolError(
    () => decryptMessage(rawEncrypt(Buffer.concat([content, Buffer.alloc(32, 33)]), officialKey), [officialKey], OFFICIAL.appId),
    "bad_padding",
  );
  assertProtocolError(
    () => decryptMessage(rawEncrypt(Buffer.concat([content.subarray(0, 16), Buffer.alloc(48, 48)]), officialKey), [officialKey], OFFICIAL.appId),
    "bad_padding",
  );
  assert.equal(
    decryptMessage(rawEncrypt(Buffer.concat([content, Buffer.alloc(32, 32)]), officialKey), [officialKey], OFFICIAL.appId).plaintext,
    "x".repeat(26),
  );
});

test("length field larger than the content → bad_length", () => {
  // After the header: 5 message bytes + 18 AppID bytes = 23.
  for (const lengthField of [24, 100, 0x7fffffff, 0xffffffff]) {
    const enc = rawEncrypt(padTo32(frame(Buffer.from("hello"), OFFICIAL.appId, lengthField)), officialKey);
    assertProtocolError(() => decryptMessage(enc, [officialKey], OFFICIAL.appId), "bad_length");
  }
  // Exactly the content length minus the header: fits, but then no AppID remains.
  const exact = rawEncrypt(padTo32(frame(Buffer.from("hello"), OFFICIAL.appId, 5 + OFFICIAL.appId.length)), officialKey);
  assertProtocolError(() => decryptMessage(exact, [officialKey], OFFICIAL.appId), "appid_mismatch");
});

test("content shorter than the 20-byte header → bad_length", () => {
  const enc = rawEncrypt(padTo32(Buffer.from("0123456789")), officialKey);
  assertProtocolError(() => decryptMessage(enc, [officialKey], OFFICIAL.appId), "bad_length");
});

test("a shorter length field moves message bytes into the AppID tail → appid_mismatch", () => {
  const enc = rawEncrypt(padTo32(frame(Buffer.from("hello"), OFFICIAL.appId, 4)), officialKey);
  assertProtocolError(() => decryptMessage(enc, [officialKey], OFFICIAL.appId), "appid_mismatch");
});

test("key problems → bad_key; a bad random prefix is a programmer error", () => {
  assertProtocolError(() => decryptMessage(OFFICIAL.encrypt, [], OFFICIAL.appId), "bad_key");
  assertProtocolError(() => decryptMessage(OFFICIAL.encrypt, [Buffer.alloc(16)], OFFICIAL.appId), "bad_key");
  assertProtocolError(() => encryptMessage("x", Buffer.alloc(31), OFFICIAL.appId), "bad_key");
  assert.throws(() => encryptMessage("x", officialKey, OFFICIAL.appId, "short"), RangeError);
  assert.throws(() => encryptMessage("x", officialKey, OFFICIAL.appId, "中文中文中文中文"), RangeError); // 24 bytes
});

test("garbage that is valid base64 of the right size never decrypts", () => {
  for (let i = 0; i < 200; i++) {
    const enc = randomBytes(32 * randomInt(1, 6)).toString("base64");
    assertProtocolError(() => decryptMessage(enc, [officialKey, javaKey], OFFICIAL.appId), ["bad_padding", "bad_length", "appid_mismatch"]);
  }
});
