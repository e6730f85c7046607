import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createAccountDirectory, type AccountDirectory } from "../../lib/accounts/callback-accounts";
import { createCallbackLog } from "../../lib/callback/callback-log";
import { handleMessage, type CallbackDeps } from "../../lib/callback/handle-callback";
import { createPool } from "../../lib/db";
import { createMessageStore } from "../../lib/messages/message-store";
import { decryptMessage, parseEncodingAesKey } from "../../lib/wechat/crypto";
import type { PassiveReply } from "../../lib/wechat/reply";
import { computeSignature } from "../../lib/wechat/signature";
import { parseWeChatXml } from "../../lib/wechat/xml";
import { insertAccount, newSimAccount } from "../helpers/accounts";
import { TEST_ENCRYPTION_KEY } from "../helpers/app-server";
import { openId } from "../helpers/message-catalog";
import { createTestDatabase } from "../helpers/test-database";
import { bigMsgId, messageXml, signMessage, type SimAccount } from "../helpers/wechat-simulator";

// The reply machinery end to end, in process, against a real PostgreSQL: the callback pipeline
// with a reply decider plugged in (as auto-reply rules will), for every passive reply type.

const replies: Record<string, PassiveReply> = {
  text: { type: "text", content: "收到 ]]> <b>ok</b>" },
  image: { type: "image", mediaId: "MEDIA_IMG" },
  voice: { type: "voice", mediaId: "MEDIA_VOICE" },
  video: { type: "video", mediaId: "MEDIA_VIDEO", title: "标题", description: "描述" },
  music: { type: "music", title: "歌", description: "d", musicUrl: "https://example.com/a.mp3", thumbMediaId: "THUMB" },
  news: { type: "news", articles: [{ title: "A", description: "a", picUrl: "https://example.com/a.jpg", url: "https://example.com/a" }, { title: "B" }] },
  transfer_customer_service: { type: "transfer_customer_service" },
};

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: ReturnType<typeof createPool>;
let accounts: AccountDirectory;
let deps: CallbackDeps;
let spoolDir: string;
let decisions = 0;
const sims = { plain: newSimAccount("plain"), compat: newSimAccount("compat"), safe: newSimAccount("safe") };

before(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url, 4);
  for (const a of Object.values(sims)) await insertAccount(db.url, TEST_ENCRYPTION_KEY, a);
  spoolDir = mkdtempSync(path.join(os.tmpdir(), "mpdesk-spool-"));
  accounts = createAccountDirectory({ pool, connectionString: db.url, encryptionKey: Buffer.from(TEST_ENCRYPTION_KEY, "base64") });
  deps = {
    accounts,
    store: createMessageStore({ pool, spoolDir }),
    callbackLog: createCallbackLog(pool),
    decideReply: (row) => {
      decisions++;
      const wanted = replies[row.content ?? ""];
      // A reply that differs on every decision: a retry must still get the first one.
      return wanted?.type === "text" ? { ...wanted, content: `${wanted.content} #${decisions}` } : (wanted ?? null);
    },
  };
});

after(async () => {
  await deps?.callbackLog.drain();
  await pool?.end();
  await db?.drop();
  rmSync(spoolDir, { recursive: true, force: true });
});

async function deliver(account: SimAccount, fields: Record<string, unknown>) {
  const req = signMessage(account, messageXml(fields));
  const result = await handleMessage(
    { query: new URL(req.path, "http://x").searchParams, sourceIp: "127.0.0.1", receivedAt: new Date(), readBody: async () => ({ ok: true, text: req.body }) },
    deps,
  );
  return { ...result, req };
}

/** Opens an encrypted reply envelope as WeChat would: check MsgSignature, decrypt, check AppID. */
function openEnvelope(account: SimAccount, body: string, nonce: string) {
  const env = parseWeChatXml(body);
  assert.equal(env.Nonce, nonce, "Nonce echoed from the request");
  assert.match(String(env.TimeStamp), /^\d{10}$/, "TimeStamp in seconds");
  assert.equal(env.MsgSignature, computeSignature(account.token, String(env.TimeStamp), nonce, String(env.Encrypt)));
  return decryptMessage(String(env.Encrypt), [parseEncodingAesKey(account.encodingAesKey!)], account.appId).plaintext;
}

describe("passive replies through the callback pipeline", () => {
  for (const mode of ["plain", "compat", "safe"] as const) {
    test(`${mode}: every reply type, To/From swapped, CreateTime in seconds, encrypted when the request was`, async () => {
      const account = sims[mode];
      for (const [name, reply] of Object.entries(replies)) {
        const fields = { ToUserName: "gh_mp", FromUserName: openId(), CreateTime: 1714112445, MsgType: "text", Content: name, MsgId: bigMsgId() };
        const res = await deliver(account, fields);
        assert.equal(res.status, 200, res.body);
        assert.match(res.contentType, /xml/);
        const xml = mode === "plain" ? res.body : openEnvelope(account, res.body, res.req.nonce);
        const parsed = parseWeChatXml(xml);
        assert.equal(parsed.ToUserName, fields.FromUserName);
        assert.equal(parsed.FromUserName, "gh_mp");
        assert.equal(parsed.MsgType, reply.type);
        assert.match(String(parsed.CreateTime), /^\d{10}$/);
        if (reply.type === "text") assert.match(String(parsed.Content), /^收到 \]\]> <b>ok<\/b> #\d+$/);
        if (reply.type === "news") assert.equal(parsed.ArticleCount, "2");
      }
    });
  }

  test("no reply decided → success, unencrypted", async () => {
    const res = await deliver(sims.safe, {
      ToUserName: "gh_mp",
      FromUserName: openId(),
      CreateTime: 1,
      MsgType: "text",
      Content: "nothing",
      MsgId: bigMsgId(),
    });
    assert.equal(res.body, "success");
  });

  test("a retried message gets the first delivery's reply, not a new one", async () => {
    const fields = { ToUserName: "gh_mp", FromUserName: openId(), CreateTime: 1714112445, MsgType: "text", Content: "text", MsgId: bigMsgId() };
    const first = await deliver(sims.safe, fields);
    const again = await Promise.all([deliver(sims.safe, fields), deliver(sims.safe, fields)]);
    const contentOf = (r: typeof first) => parseWeChatXml(openEnvelope(sims.safe, r.body, r.req.nonce)).Content;
    for (const r of again) assert.equal(contentOf(r), contentOf(first));
    assert.equal(again[0]!.outcome, "duplicate");
    const { rows } = await pool.query("SELECT reply_xml FROM message WHERE from_user = $1", [fields.FromUserName]);
    assert.equal(rows.length, 1);
    assert.equal(parseWeChatXml(rows[0].reply_xml).Content, contentOf(first));
  });
});
