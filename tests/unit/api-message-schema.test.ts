import assert from "node:assert/strict";
import { test } from "node:test";
import { parseApiMessage } from "../../lib/outbound/api-message-schema";
import { answerFor } from "../../lib/outbound/messages-api";
import type { WindowMeter } from "../../lib/outbound/types";

// POST /api/messages' body as WeChat's custom/send documents each msgtype, and the answers of the
// README's table for every outcome of a send.

const touser = "oF3PcsnsrMiJzEwalZZbAfWQpxCI";

test("each msgtype's body as WeChat takes it passes unchanged, without the account", () => {
  const bodies = [
    { touser, msgtype: "voice", voice: { media_id: "V1" } },
    { touser, msgtype: "video", video: { media_id: "M1", thumb_media_id: "T1", title: "标题", description: "描述" } },
    {
      touser,
      msgtype: "music",
      music: { title: "歌", description: "d", musicurl: "https://e.com/a.mp3", hqmusicurl: "https://e.com/a-hq.mp3", thumb_media_id: "T1" },
    },
    { touser, msgtype: "mpnewsarticle", mpnewsarticle: { article_id: "A1" } },
    { touser, msgtype: "miniprogrampage", miniprogrampage: { title: "t", appid: "wx0123456789abcdef", pagepath: "pages/index", thumb_media_id: "T1" } },
    { touser, msgtype: "text", text: { content: "hi" }, customservice: { kf_account: "test1@kftest" } },
  ];
  for (const body of bodies) {
    const parsed = parseApiMessage({ account: "wx0123456789abcdef", ...body });
    assert.deepEqual(parsed, { ok: true, appId: "wx0123456789abcdef", message: body }, body.msgtype);
  }
});

test("a field WeChat does not know inside a msgtype is dropped; one at the top level is named", () => {
  assert.deepEqual(parseApiMessage({ touser, msgtype: "image", image: { media_id: "I1", caption: "x" } }), {
    ok: true,
    appId: null,
    message: { touser, msgtype: "image", image: { media_id: "I1" } },
  });
  const typo = parseApiMessage({ touser, msgtype: "text", txet: { content: "x" }, text: { content: "x" } });
  assert.equal(typo.ok, false);
  assert.equal(!typo.ok && typo.field, "txet");
});

test("what WeChat requires is required: a video's thumb, a music's URLs, a menu's items", () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ touser, msgtype: "video", video: { media_id: "M1" } }, "video.thumb_media_id"],
    [{ touser, msgtype: "music", music: { thumb_media_id: "T1", hqmusicurl: "https://e.com/b" } }, "music.musicurl"],
    [{ touser, msgtype: "music", music: { musicurl: "javascript:alert(1)", hqmusicurl: "https://e.com/b", thumb_media_id: "T1" } }, "music.musicurl"],
    [{ touser, msgtype: "msgmenu", msgmenu: { list: [] } }, "msgmenu.list"],
    [{ touser, msgtype: "news", news: { articles: [{ description: "no title" }] } }, "news.articles.0.title"],
    [{ touser: "not an openid", msgtype: "text", text: { content: "x" } }, "touser"],
  ];
  for (const [body, field] of cases) {
    const parsed = parseApiMessage(body);
    assert.equal(parsed.ok, false, JSON.stringify(body));
    assert.equal(!parsed.ok && parsed.field, field, JSON.stringify(parsed));
  }
});

test("each outcome answers with the README's status and exact body", () => {
  const meter: WindowMeter = { open: false, openedBy: null, lastInteraction: null, until: null, limit: 0, used: 0, remaining: 0, closedBy: null };
  const fix = { en: "en", zh: "zh" };
  assert.deepEqual(answerFor({ status: "sent", id: "7" }), { status: 200, body: { id: "7", status: "sent" } });
  assert.deepEqual(answerFor({ status: "queued", id: "8" }), { status: 202, body: { id: "8", status: "queued" } });
  assert.deepEqual(answerFor({ status: "refused", id: null, error: "window_closed", meter, fix }), { status: 409, body: { error: "window_closed" } });
  assert.deepEqual(answerFor({ status: "refused", id: null, error: "quota_exhausted", meter, fix }), { status: 429, body: { error: "quota_exhausted" } });
  assert.deepEqual(answerFor({ status: "refused", id: null, error: "not_capable", meter, fix }), { status: 403, body: { error: "not_capable", fix } });
  assert.deepEqual(answerFor({ status: "failed", id: "9", errcode: 48001, errmsg: "api unauthorized", fix }), {
    status: 502,
    body: { error: "wechat_error", errcode: 48001, errmsg: "api unauthorized", fix },
  });
});
