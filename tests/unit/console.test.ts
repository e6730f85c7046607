import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { capabilityOf } from "../../lib/accounts/capabilities";
import { callbackUrlFor, checkCallbackUrl, publicBaseUrl } from "../../lib/accounts/server-url";
import { en } from "../../lib/i18n/en";
import { fmt, negotiateLocale } from "../../lib/i18n/index";
import { zh } from "../../lib/i18n/zh";
import { csvHeaderLine, toCsvLines } from "../../lib/messages/export-messages";
import type { MessageDetail } from "../../lib/messages/get-message";
import { filtersToSearch, parseMessageFilters, parsePageCursor } from "../../lib/messages/message-filters";
import { prettyXml } from "../../lib/messages/pretty-xml";

describe("language", () => {
  test("Chinese unless the browser prefers English", () => {
    assert.equal(negotiateLocale(null), "zh");
    assert.equal(negotiateLocale("en-US,en;q=0.9"), "en");
    assert.equal(negotiateLocale("zh-CN,zh;q=0.9,en;q=0.8"), "zh");
    assert.equal(negotiateLocale("en;q=0.5,zh-TW;q=0.8"), "zh");
    assert.equal(negotiateLocale("fr-FR,en;q=0.7"), "en");
    assert.equal(negotiateLocale("fr-FR,de"), "zh");
  });

  test("both dictionaries have the same keys and placeholders", () => {
    const walk = (a: unknown, b: unknown, at: string) => {
      if (typeof a === "string") {
        assert.equal(typeof b, "string", at);
        const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        assert.deepEqual(ph(b as string), ph(a), `placeholders differ at ${at}`);
        return;
      }
      assert.deepEqual(Object.keys(b as object).sort(), Object.keys(a as object).sort(), at);
      for (const k of Object.keys(a as object)) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
    };
    walk(zh, en, "dict");
  });

  test("protocol names are written as WeChat writes them in both", () => {
    for (const d of [zh, en]) {
      assert.match(d.setup.credentials.tokenHint, /Token/);
      assert.match(d.setup.api.whitelist, /40164/);
    }
    assert.equal(fmt("{a} and {b} and {c}", { a: 1, b: "x" }), "1 and x and {c}");
  });
});

describe("server URL", () => {
  test("PUBLIC_URL wins; otherwise the forwarded host", () => {
    assert.deepEqual(publicBaseUrl("https://mp.example.com/", new Headers()), { base: "https://mp.example.com", fromEnv: true });
    const h = new Headers({ host: "internal:3000", "x-forwarded-host": "mp.example.com", "x-forwarded-proto": "https" });
    assert.deepEqual(publicBaseUrl(undefined, h), { base: "https://mp.example.com", fromEnv: false });
    assert.equal(callbackUrlFor("https://mp.example.com", "wx0123456789abcdef", true), "https://mp.example.com/api/wechat");
    assert.equal(callbackUrlFor("https://mp.example.com", "wx0123456789abcdef", false), "https://mp.example.com/api/wechat/wx0123456789abcdef");
  });

  test("warns about ports, localhost, bare IPs and plain HTTP", () => {
    const kinds = (u: string) => checkCallbackUrl(u).map((w) => w.kind);
    assert.deepEqual(kinds("https://mp.example.com/api/wechat"), []);
    assert.deepEqual(kinds("https://mp.example.com:443/api/wechat"), []);
    assert.deepEqual(kinds("http://mp.example.com/api/wechat"), ["http"]);
    assert.deepEqual(kinds("https://mp.example.com:8443/api/wechat"), ["port"]);
    assert.deepEqual(kinds("http://localhost:3000/api/wechat"), ["port", "localhost", "http"]);
    assert.deepEqual(kinds("https://203.0.113.7/api/wechat"), ["ip"]);
    assert.deepEqual(kinds("ftp://x/api"), ["scheme"]);
  });
});

describe("capabilities", () => {
  test("template messages and OAuth need a certified service account", () => {
    assert.equal(capabilityOf("service", true, "templateMessages").state, "yes");
    assert.deepEqual(capabilityOf("service", false, "oauth"), { state: "no", reason: "needsCertifiedService" });
    assert.deepEqual(capabilityOf("subscription", true, "templateMessages"), { state: "no", reason: "needsCertifiedService" });
  });
  test("customer-service messages need certification on official accounts", () => {
    assert.deepEqual(capabilityOf("subscription", false, "customerService"), { state: "no", reason: "needsCertification" });
    assert.equal(capabilityOf("subscription", true, "customerService").state, "yes");
    assert.equal(capabilityOf("miniprogram", false, "customerService").state, "yes");
  });
  test("every kind receives messages, except WeCom which mpdesk does not speak", () => {
    for (const k of ["subscription", "service", "miniprogram"] as const) assert.equal(capabilityOf(k, false, "receiveMessages").state, "yes");
    assert.deepEqual(capabilityOf("wecom", true, "receiveMessages"), { state: "no", reason: "wecomUnsupported" });
  });
  test("the custom menu API: uncertified service accounts have it, uncertified subscription accounts do not", () => {
    assert.equal(capabilityOf("service", false, "customMenu").state, "yes");
    assert.equal(capabilityOf("subscription", false, "customMenu").state, "no");
  });
});

describe("message log helpers", () => {
  test("filters round-trip through the URL; junk is dropped", () => {
    const f = parseMessageFilters(new URLSearchParams("type=text&event=&direction=sideways&openid=oABC&from=2026-11-01&to=nope&q=退款"));
    assert.deepEqual(f, { type: "text", event: undefined, direction: undefined, openid: "oABC", from: "2026-11-01", to: undefined, q: "退款" });
    assert.equal(filtersToSearch(f, { before: "x" }), "?type=text&openid=oABC&from=2026-11-01&q=%E9%80%80%E6%AC%BE&before=x");
    assert.deepEqual(parsePageCursor({ before: "2026-11-24T05:06:07.123456Z~42", after: "1 OR 1=1" }), {
      before: "2026-11-24T05:06:07.123456Z~42",
      after: undefined,
    });
  });

  test("pretty XML keeps CDATA byte for byte", () => {
    const raw =
      "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Content><![CDATA[a <b>\n ]]]]><![CDATA[> c]]></Content><ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType></ScanCodeInfo><MsgId>6054768590064713728</MsgId></xml>";
    const pretty = prettyXml(raw);
    assert.equal(
      pretty,
      [
        "<xml>",
        "  <ToUserName><![CDATA[gh_1]]></ToUserName>",
        "  <Content><![CDATA[a <b>\n ]]]]><![CDATA[> c]]></Content>",
        "  <ScanCodeInfo>",
        "    <ScanType><![CDATA[qrcode]]></ScanType>",
        "  </ScanCodeInfo>",
        "  <MsgId>6054768590064713728</MsgId>",
        "</xml>",
      ].join("\n"),
    );
  });

  test("CSV: quoted where needed, formulas neutralised, BOM for Excel", () => {
    assert.ok(csvHeaderLine().startsWith("\uFEFFid,received_at,"));
    const row = {
      id: "1",
      receivedAt: new Date("2026-11-24T00:00:00Z"),
      direction: "inbound",
      msgType: "text",
      content: '=HYPERLINK("x"), 你好\n',
      msgId: "6054768590064713728",
      encrypted: false,
    } as unknown as MessageDetail;
    const line = toCsvLines([row]);
    assert.ok(line.startsWith('1,2026-11-24T00:00:00.000Z,inbound,text,,,,,6054768590064713728,,"\'=HYPERLINK(""x""), 你好\n",'));
    assert.ok(line.endsWith(",false\r\n"));
  });
});
