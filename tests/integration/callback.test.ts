import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import http from "node:http";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { newSimAccount, insertAccount } from "../helpers/accounts";
import { startApp, TEST_ENCRYPTION_KEY, type AppServer } from "../helpers/app-server";
import { messageCatalog, openId } from "../helpers/message-catalog";
import { createTestDatabase } from "../helpers/test-database";
import { bigMsgId, messageXml, postSigned, signMessage, verificationPath, type SimAccount } from "../helpers/wechat-simulator";
import { computeSignature } from "../../lib/wechat/signature";
import { encryptMessage, parseEncodingAesKey } from "../../lib/wechat/crypto";
import { eventually } from "../helpers/eventually";

// WeChat's side of the protocol, played over real HTTP against the running app and a real
// PostgreSQL: every type in every mode, retries, forgeries and hostile bodies.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let app: AppServer;
let sql: pg.Client;
const accounts = { plain: newSimAccount("plain"), compat: newSimAccount("compat"), safe: newSimAccount("safe") };
const ids: Record<string, string> = {};

async function rowsFor(account: SimAccount, fromUser: string) {
  const { rows } = await sql.query(`SELECT m.* FROM message m JOIN account a ON a.id = m.account_id WHERE a.app_id = $1 AND m.from_user = $2 ORDER BY m.id`, [
    account.appId,
    fromUser,
  ]);
  return rows;
}
/** Streams `chunks` chunks with Transfer-Encoding: chunked; resolves with the status as soon as it arrives. */
function postChunked(url: string, chunkSize: number, chunks: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers: { "content-type": "text/xml" } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    // The server may close the socket while we are still sending: that is the point.
    req.on("error", (err) => setTimeout(() => reject(err), 100));
    const chunk = Buffer.alloc(chunkSize, "B");
    let sent = 0;
    const pump = () => {
      while (sent < chunks) {
        sent++;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}
const count = async () => Number((await sql.query("SELECT count(*) FROM message")).rows[0].count);

before(async () => {
  db = await createTestDatabase();
  const p = accounts.plain;
  app = await startApp({ databaseUrl: db.url, env: { WECHAT_APPID: p.appId, WECHAT_TOKEN: p.token, WECHAT_MESSAGE_MODE: "plain" } });
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  ids.compat = await insertAccount(db.url, TEST_ENCRYPTION_KEY, accounts.compat);
  ids.safe = await insertAccount(db.url, TEST_ENCRYPTION_KEY, accounts.safe);
  // The new accounts reach the running app through LISTEN/NOTIFY.
  for (const a of [accounts.compat, accounts.safe]) {
    await eventually(async () => (await fetch(app.url + verificationPath(a, "ping"))).status === 200, { what: "the account change reaching the app" });
  }
});

after(async () => {
  await sql?.end();
  await app?.stop();
  await db?.drop();
});

describe("GET verification", () => {
  test("echoes echostr verbatim for a valid signature, in every mode", async () => {
    for (const a of Object.values(accounts)) {
      const res = await fetch(app.url + verificationPath(a, "4375120948345356249"));
      assert.equal(res.status, 200);
      assert.equal(await res.text(), "4375120948345356249");
      assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
    }
  });
  test("the default account answers without ?account", async () => {
    const res = await fetch(app.url + verificationPath({ ...accounts.plain, selectByAppId: false }, "e1"));
    assert.equal(await res.text(), "e1");
  });
  test("refuses a wrong Token with 401 and never echoes", async () => {
    const res = await fetch(app.url + verificationPath(accounts.plain, "secret-echo", "wrongtoken"));
    assert.equal(res.status, 401);
    assert.ok(!(await res.text()).includes("secret-echo"));
  });
  test("400 when parameters are missing", async () => {
    const res = await fetch(app.url + "/api/wechat?echostr=x");
    assert.equal(res.status, 400);
  });
  test("handshakes and refusals are counted with reason, never with a body", async () => {
    // Refusals are summed in memory and written about once a second: poll until they are.
    await eventually(async () => {
      const { rows } = await sql.query(`SELECT method, outcome, reason, status, count FROM callback_event ORDER BY id`);
      assert.ok(rows.some((r) => r.outcome === "verified" && r.status === 200));
      assert.ok(rows.some((r) => r.outcome === "refused" && r.reason === "bad_signature" && r.status === 401));
      assert.ok(rows.some((r) => r.reason === "missing_params" && r.status === 400));
    });
  });
});

describe("POST: every message and event type, in every mode", () => {
  for (const mode of ["plain", "compat", "safe"] as const) {
    test(`${mode} mode stores each type once, losslessly`, async () => {
      const account = accounts[mode];
      for (const { name, fields } of messageCatalog()) {
        const res = await postSigned(app.url, signMessage(account, messageXml(fields)));
        assert.equal(res.status, 200, `${name}: ${res.text}`);
        assert.equal(res.text, "success");
        const rows = await rowsFor(account, fields.FromUserName as string);
        assert.equal(rows.length, 1, name);
        const row = rows[0];
        assert.equal(row.msg_type, fields.MsgType);
        assert.equal(row.encrypted, mode !== "plain");
        const msgId = (fields.MsgId ?? fields.MsgID) as string | undefined;
        if (msgId) {
          assert.equal(row.msg_id, msgId, `${name}: MsgId must survive exactly`);
          assert.ok(BigInt(row.msg_id) > 2n ** 53n);
        }
        if (fields.Event) assert.equal(row.event, fields.Event);
        if (fields.Content) assert.equal(row.content, fields.Content, "content byte-exact, whitespace and ]]> included");
        assert.equal(row.raw_xml, messageXml(fields), "the full decrypted XML is kept");
        assert.equal(row.fields.FromUserName, fields.FromUserName);
      }
    });
  }

  test("normalised columns: location, voice recognition, link", async () => {
    const [location] = messageCatalog().filter((m) => m.name === "location");
    await postSigned(app.url, signMessage(accounts.plain, messageXml(location!.fields)));
    const [row] = await rowsFor(accounts.plain, location!.fields.FromUserName as string);
    assert.equal(row.location_x, 23.134521);
    assert.equal(row.location_y, 113.358803);
    assert.equal(row.scale, 20);
    assert.equal(row.label, "位置信息");
  });
});

describe("retries", () => {
  for (const mode of ["plain", "safe"] as const) {
    test(`${mode}: three sequential deliveries → one row, same answer`, async () => {
      const fields = { ToUserName: "gh_x", FromUserName: openId(), CreateTime: 1714112445, MsgType: "text", Content: "retry", MsgId: bigMsgId() };
      const xml = messageXml(fields);
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await postSigned(app.url, signMessage(accounts[mode], xml)));
      assert.deepEqual(
        answers.map((a) => a.status),
        [200, 200, 200],
      );
      assert.deepEqual(
        answers.map((a) => a.text),
        ["success", "success", "success"],
      );
      assert.equal((await rowsFor(accounts[mode], fields.FromUserName)).length, 1);
    });
    test(`${mode}: three concurrent deliveries → one row`, async () => {
      const fields = { ToUserName: "gh_x", FromUserName: openId(), CreateTime: 1714112445, MsgType: "event", Event: "subscribe", EventKey: "" };
      const xml = messageXml(fields);
      const answers = await Promise.all([0, 1, 2].map(() => postSigned(app.url, signMessage(accounts[mode], xml))));
      assert.deepEqual(
        answers.map((a) => a.status),
        [200, 200, 200],
      );
      assert.equal((await rowsFor(accounts[mode], fields.FromUserName)).length, 1);
    });
  }
  test("the same MsgId from two followers is two messages (WxJava#333)", async () => {
    const msgId = bigMsgId();
    const a = { ToUserName: "gh_x", FromUserName: openId(), CreateTime: 1, MsgType: "text", Content: "a", MsgId: msgId };
    const b = { ...a, FromUserName: openId() };
    for (const f of [a, b]) assert.equal((await postSigned(app.url, signMessage(accounts.plain, messageXml(f)))).status, 200);
    assert.equal((await rowsFor(accounts.plain, a.FromUserName)).length, 1);
    assert.equal((await rowsFor(accounts.plain, b.FromUserName)).length, 1);
  });
});

describe("hostile and broken input is refused, stored nowhere, and the next message is served", () => {
  const text = () => ({ ToUserName: "gh_x", FromUserName: openId(), CreateTime: 1, MsgType: "text", Content: "hi", MsgId: bigMsgId() });

  async function refused(path: string, body: BodyInit, expectStatus: number, headers: Record<string, string> = {}) {
    const before = await count();
    const res = await fetch(app.url + path, { method: "POST", body, headers: { "content-type": "text/xml", ...headers }, duplex: "half" } as RequestInit);
    assert.equal(res.status, expectStatus, await res.text());
    assert.equal(await count(), before, "nothing stored");
  }

  test("forged or missing signatures", async () => {
    const req = signMessage(accounts.plain, messageXml(text()));
    await refused(req.path.replace(/signature=[0-9a-f]+/, "signature=" + "0".repeat(40)), req.body, 401);
    await refused("/api/wechat?timestamp=1&nonce=2", req.body, 400);
    const enc = signMessage(accounts.safe, messageXml(text()));
    await refused(enc.path.replace(/msg_signature=[0-9a-f]+/, "msg_signature=" + "1".repeat(40)), enc.body, 401);
    // A valid URL signature does not vouch for a tampered Encrypt.
    await refused(enc.path, enc.body.replace(/<Encrypt><!\[CDATA\[./, "<Encrypt><![CDATA[A"), 401);
  });

  test("safe mode refuses plaintext bodies", async () => {
    await refused(signMessage({ ...accounts.safe, mode: "plain" }, messageXml(text())).path, messageXml(text()), 403);
  });

  test("entity bombs and external entities", async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><xml><ToUserName>&lol2;</ToUserName></xml>`;
    const xxe = `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>`;
    for (const body of [bomb, xxe]) {
      await refused(signMessage(accounts.plain, body).path, body, 400);
      // Inside an encrypted envelope too.
      const enc = signMessage(accounts.compat, body);
      await refused(enc.path, enc.body, 400);
    }
  });

  test("5 MB bodies get 413, declared or chunked", async () => {
    const req = signMessage(accounts.plain, messageXml(text()));
    const big = "<xml>" + "A".repeat(5 * 1024 * 1024) + "</xml>";
    await refused(req.path, big, 413);
    // Chunked: no Content-Length to refuse up front; the server must stop reading at 1 MiB.
    const before = await count();
    assert.equal(await postChunked(app.url + req.path, 64 * 1024, 80), 413);
    assert.equal(await count(), before);
  });

  test("truncated XML, bad base64, wrong AppID tail, garbage length", async () => {
    const xml = messageXml(text());
    await refused(signMessage(accounts.plain, xml.slice(0, -10)).path, xml.slice(0, -10), 400);
    await refused(signMessage(accounts.plain, "not xml at all").path, "not xml at all", 400);

    const a = accounts.safe;
    const signed = (encrypt: string) => {
      const ts = String(Math.floor(Date.now() / 1000)),
        nonce = "415670741";
      const q = new URLSearchParams({
        signature: computeSignature(a.token, ts, nonce),
        timestamp: ts,
        nonce,
        encrypt_type: "aes",
        account: a.appId,
        msg_signature: computeSignature(a.token, ts, nonce, encrypt),
      });
      return { path: `/api/wechat?${q}`, body: `<xml><ToUserName><![CDATA[gh]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>` };
    };
    const badB64 = signed("!!!not*base64!!!");
    await refused(badB64.path, badB64.body, 400);
    const wrongTail = signed(encryptMessage(xml, parseEncodingAesKey(a.encodingAesKey), "wx0000000000000000"));
    await refused(wrongTail.path, wrongTail.body, 400);
    const otherKey = signed(encryptMessage(xml, parseEncodingAesKey(newSimAccount("safe").encodingAesKey), a.appId));
    await refused(otherKey.path, otherKey.body, 400);
    const truncated = signed(encryptMessage(xml, parseEncodingAesKey(a.encodingAesKey), a.appId).slice(0, 24));
    await refused(truncated.path, truncated.body, 400);
  });

  test("over-long fields get 400 with the field named, never a 500", async () => {
    // Random, so the index cannot compress it below its row limit.
    const long = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join("");
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...text(), MsgId: long(3000) }, /MsgId/],
      [{ ...text(), FromUserName: "o" + long(3000) }, /FromUserName/],
      [{ ...text(), ToUserName: "gh_" + long(3000) }, /ToUserName/],
      [{ ...text(), MsgType: "t" + long(3000) }, /MsgType/],
      [{ ToUserName: "gh_x", FromUserName: openId(), CreateTime: 1, MsgType: "event", Event: "CLICK", EventKey: "键" + long(3000) }, /EventKey/],
      [{ ToUserName: "gh_x", FromUserName: openId(), CreateTime: 1, MsgType: "event", Event: "E" + long(3000) }, /Event/],
    ];
    for (const [fields, field] of cases) {
      for (const a of [accounts.plain, accounts.safe]) {
        const req = signMessage(a, messageXml(fields));
        const before = await count();
        const res = await postSigned(app.url, req);
        assert.equal(res.status, 400, res.text);
        assert.match(res.text, /field_too_long/);
        assert.match(res.text, field);
        assert.equal(await count(), before, "nothing stored");
      }
    }
  });

  test("after all that, a valid message is served", async () => {
    const f = text();
    const res = await postSigned(app.url, signMessage(accounts.safe, messageXml(f)));
    assert.equal(res.status, 200);
    assert.equal((await rowsFor(accounts.safe, f.FromUserName)).length, 1);
    const health = await (await fetch(app.url + "/api/health")).json();
    assert.equal(health.status, "ok");
  });
});

describe("EncodingAESKey rotation", () => {
  test("messages encrypted with the previous key are still accepted", async () => {
    const rotated = newSimAccount("safe");
    const oldKey = rotated.encodingAesKey;
    const current = { ...rotated, encodingAesKey: newSimAccount("safe").encodingAesKey, previousEncodingAesKey: oldKey };
    await insertAccount(db.url, TEST_ENCRYPTION_KEY, current);
    await eventually(async () => (await fetch(app.url + verificationPath(current, "x"))).status === 200, { what: "the rotated account reaching the app" });
    for (const key of [current.encodingAesKey, oldKey]) {
      const f = { ToUserName: "gh_x", FromUserName: openId(), CreateTime: 1, MsgType: "text", Content: "rot", MsgId: bigMsgId() };
      const res = await postSigned(app.url, signMessage({ ...current, encodingAesKey: key }, messageXml(f)));
      assert.equal(res.status, 200);
      assert.equal((await rowsFor(current, f.FromUserName)).length, 1);
    }
  });
});
