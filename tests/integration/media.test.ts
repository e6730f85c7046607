import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import pg from "pg";
import { insertAccount } from "../helpers/accounts";
import { configureLib, TEST_ENCRYPTION_KEY } from "../helpers/app-server";
import { startMockWeChatApi, type MockWeChatApi } from "../helpers/mock-wechat-api";
import { installMediaApis, MEDIA_PATHS } from "../helpers/mock-wechat/media";
import { createTestDatabase } from "../helpers/test-database";

// lib/media against the mock's media APIs over real HTTP and a real PostgreSQL: a file goes to
// WeChat once, as permanent material or temporary media, and its bytes stay in mpdesk.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let mock: MockWeChatApi;
let media: ReturnType<typeof installMediaApis>;
let pool: pg.Pool;
let lib: typeof import("../../lib/media/put-media");
let queries: typeof import("../../lib/media/media-queries");
const account = { id: "", appId: `wx${randomBytes(8).toString("hex")}`, secret: randomBytes(16).toString("hex") };
const png = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), randomBytes(200)]);

before(async () => {
  mock = await startMockWeChatApi();
  media = installMediaApis(mock);
  mock.addApp({ appId: account.appId, secret: account.secret });
  db = await createTestDatabase();
  account.id = await insertAccount(db.url, TEST_ENCRYPTION_KEY, { appId: account.appId, token: "tok3n", mode: "plain", appSecret: account.secret });
  configureLib(db.url, mock.url);
  lib = await import("../../lib/media/put-media");
  queries = await import("../../lib/media/media-queries");
  pool = (await import("../../lib/db")).getPool();
});
after(async () => {
  await pool?.end();
  await mock?.close();
  await db?.drop();
});

test("a permanent image goes to add_material as multipart and its bytes are kept", async () => {
  const stored = await lib.putMedia(pool, account.id, { kind: "image", filename: "logo.png", contentType: "image/png", bytes: png }, { permanent: true });
  assert.match(stored.mediaId, /^P_/);
  assert.ok(stored.url?.startsWith("http://mmbiz.qpic.cn/"));
  assert.equal(stored.expiresAt, null);
  assert.deepEqual(media.get(stored.mediaId)?.bytes, png);
  assert.equal(media.get(stored.mediaId)?.filename, "logo.png");
  const read = await queries.readMediaBytes(pool, account.id, stored.id);
  assert.deepEqual(read?.bytes, png);
  assert.equal(await queries.readMediaBytes(pool, randomUUID(), stored.id), null, "another account's id reads nothing");
});

test("temporary media go to media/upload and expire in 3 days", async () => {
  const stored = await lib.putMedia(pool, account.id, { kind: "image", filename: "a.jpg", contentType: "image/jpeg", bytes: png }, { permanent: false });
  assert.match(stored.mediaId, /^T_/);
  const days = (stored.expiresAt!.getTime() - Date.now()) / 86400_000;
  assert.ok(days > 2.99 && days <= 3, String(days));
});

test("a file WeChat would refuse is refused before any call", async () => {
  const before = mock.calls(MEDIA_PATHS.addMaterial);
  await assert.rejects(
    lib.putMedia(pool, account.id, { kind: "thumb", filename: "t.jpg", contentType: "image/jpeg", bytes: randomBytes(65 * 1024) }, { permanent: true }),
    /at most 64 KB/,
  );
  await assert.rejects(
    lib.putMedia(pool, account.id, { kind: "voice", filename: "v.wav", contentType: "audio/wav", bytes: png }, { permanent: true }),
    /amr\/mp3/,
  );
  assert.equal(mock.calls(MEDIA_PATHS.addMaterial), before);
});

test("temporary media are re-hosted once as permanent material, videos through their URL", async () => {
  const tempImage = media.seedTemporary(account.appId, { type: "image", bytes: png, contentType: "image/png" });
  const first = await lib.rehostTemporaryMedia(pool, account.id, tempImage, "image");
  const again = await lib.rehostTemporaryMedia(pool, account.id, tempImage, "image");
  assert.equal(again.id, first.id);
  assert.equal(mock.bodies(account.appId, MEDIA_PATHS.get).length, 1, "media/get called once");
  assert.deepEqual(media.get(first.mediaId)?.bytes, png);
  assert.equal(media.get(first.mediaId)?.permanent, true);

  const mp4 = randomBytes(1000);
  const tempVideo = media.seedTemporary(account.appId, { type: "video", bytes: mp4, contentType: "video/mp4" });
  const video = await lib.rehostTemporaryMedia(pool, account.id, tempVideo, "video");
  assert.deepEqual(media.get(video.mediaId)?.bytes, mp4);
  assert.ok(media.get(video.mediaId)?.description?.title);

  const expired = media.seedTemporary(account.appId, { type: "image", bytes: png, contentType: "image/png", uploadedAt: Date.now() - 4 * 86400_000 });
  await assert.rejects(
    lib.rehostTemporaryMedia(pool, account.id, expired, "image"),
    (err: { details?: { errcode?: number } }) => err.details?.errcode === 40007,
  );
});
