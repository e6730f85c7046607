import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatDateTime, formatDay, formatTime, formatWhen } from "../../lib/i18n/index";
import { ownValue } from "../../lib/own-value";
import { prettyXml } from "../../lib/messages/pretty-xml";

// How the console writes dates, indents raw XML and looks up labels by a follower's string.

describe("dates", () => {
  // 1 December 2026, 14:03:05 in Shanghai: the day is smaller than 12, so DD/MM and MM/DD differ.
  const d = new Date("2026-12-01T06:03:05Z");
  const tz = "Asia/Shanghai";

  test("English spells the month, so the day and the month cannot be swapped", () => {
    assert.equal(formatDateTime(d, "en", tz), "1 Dec 2026, 14:03");
    assert.equal(formatDateTime(d, "en", tz, { seconds: true }), "1 Dec 2026, 14:03:05");
    assert.equal(formatWhen(d, "en", tz, new Date("2026-12-05T00:00:00Z")), "1 Dec, 14:03");
    assert.equal(formatWhen(d, "en", tz, new Date("2027-01-05T00:00:00Z")), "1 Dec 2026, 14:03");
    assert.equal(formatDay("2026-12-01", "en"), "1 Dec");
  });

  test("Chinese writes the year first, as the MP admin does", () => {
    assert.equal(formatDateTime(d, "zh", tz), "2026-12-01 14:03");
    assert.equal(formatDateTime(d, "zh", tz, { seconds: true }), "2026-12-01 14:03:05");
    assert.equal(formatWhen(d, "zh", tz, new Date("2026-12-05T00:00:00Z")), "12-01 14:03");
    assert.equal(formatDay("2026-12-01", "zh"), "12-01");
  });

  test("in the reader's time zone, 24-hour, and the same day shows only the time", () => {
    assert.equal(formatDateTime(d, "en", "Europe/London"), "1 Dec 2026, 06:03");
    assert.equal(formatDateTime(new Date("2026-12-31T16:30:00Z"), "zh", tz), "2027-01-01 00:30");
    assert.equal(formatTime(new Date("2026-12-01T16:00:00Z"), "en", "UTC"), "16:00");
    assert.equal(formatWhen(d, "en", tz, new Date("2026-12-01T10:00:00Z")), "14:03");
    assert.equal(formatDateTime(new Date("2026-07-04T00:00:00Z"), "en", "UTC"), "4 Jul 2026, 00:00");
  });
});

describe("labels looked up by a follower's string", () => {
  test("only own keys count: __proto__ and constructor are not labels", () => {
    const labels: Record<string, string> = { text: "Text" };
    assert.equal(ownValue(labels, "text"), "Text");
    for (const k of ["__proto__", "constructor", "toString", "hasOwnProperty"]) assert.equal(ownValue(labels, k), undefined, k);
  });
});

describe("raw XML, indented", () => {
  test("ordinary WeChat XML is indented as before", () => {
    const xml =
      "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><SendPicsInfo><Count>1</Count><PicList><item><PicMd5Sum><![CDATA[abc]]></PicMd5Sum></item></PicList></SendPicsInfo><!-- a note --></xml>";
    assert.equal(
      prettyXml(xml),
      [
        "<xml>",
        "  <ToUserName><![CDATA[gh_1]]></ToUserName>",
        "  <SendPicsInfo>",
        "    <Count>1</Count>",
        "    <PicList>",
        "      <item>",
        "        <PicMd5Sum><![CDATA[abc]]></PicMd5Sum>",
        "      </item>",
        "    </PicList>",
        "  </SendPicsInfo>",
        "  <!-- a note -->",
        "</xml>",
      ].join("\n"),
    );
  });

  test("tags inside a comment stay inside it, verbatim", () => {
    assert.equal(prettyXml("<xml><!-- <a><b> --><A>1</A></xml>"), "<xml>\n  <!-- <a><b> -->\n  <A>1</A>\n</xml>");
  });

  test("12 KB built to nest deeper and deeper gives output of about its own size, fast", () => {
    for (const xml of [
      `<xml><!--${"<a>".repeat(4000)}--></xml>`, // tags inside a comment
      `<xml>${"<a>".repeat(4000)}</xml>`, // real nesting, never closed
      `<xml><!--${"<a>".repeat(4000)}`, // an unterminated comment
      `${"<a><!---->".repeat(1200)}`,
    ]) {
      const started = performance.now();
      const out = prettyXml(xml);
      const ms = performance.now() - started;
      assert.ok(xml.length >= 12_000, `${xml.length}`);
      assert.ok(out.length <= 4 * xml.length + 1024, `${xml.slice(0, 30)}…: ${xml.length} → ${out.length}`);
      assert.ok(ms < 1_000, `${ms} ms`); // generous: the machine may be busy; the size bound is the sharp check
    }
  });

  test("a long document stays linear", () => {
    const xml = `<xml><!--${"<a>".repeat(300_000)}--></xml>`;
    const started = performance.now();
    const out = prettyXml(xml);
    assert.ok(out.length <= 4 * xml.length + 1024);
    assert.ok(performance.now() - started < 5_000);
  });
});
