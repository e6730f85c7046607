import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ReplyRule } from "../../lib/replies/rule-fields";
import { canReplyAll, validateRule } from "../../lib/replies/save-rule";
import { inboundOf, testRules } from "../../lib/replies/test-rule";

// The console's side of reply rules: what saving refuses (and how each refusal names its field),
// and the tester, which must answer as the callback's matcher does.

const unverified = { accountType: "subscription", certified: false } as const;
const verified = { accountType: "service", certified: true } as const;
const base = { name: "价格", trigger: "keyword", keywords: [{ match: "equal", pattern: "价格" }], replies: [{ type: "text", content: "99 元" }] };
const issues = (input: unknown, account: Parameters<typeof validateRule>[1] = verified) => {
  const v = validateRule(input, account);
  return v.ok ? [] : v.issues;
};

describe("saving a rule: validation", () => {
  test("a valid keyword rule passes, with the platform's defaults", () => {
    const v = validateRule(base, unverified);
    assert.ok(v.ok);
    assert.equal(v.rule.replyMode, "one");
    assert.equal(v.rule.cooldownSeconds, 3600);
    assert.equal(v.rule.window, null);
  });

  test("a regex RE2 cannot run is refused on that keyword's pattern, with RE2's reason", () => {
    const found = issues({
      ...base,
      keywords: [
        { match: "equal", pattern: "ok" },
        { match: "regex", pattern: "(?<=a)b" },
      ],
    });
    assert.equal(found.length, 1);
    assert.equal(found[0]!.path, "keywords[1].pattern");
    assert.equal(found[0]!.reason, "regex");
    assert.match(found[0]!.detail ?? "", /perl operator|\(\?</);
  });

  test("each missing part names its field", () => {
    assert.deepEqual(
      issues({ ...base, name: "  " }).map((i) => [i.path, i.reason]),
      [["name", "required"]],
    );
    assert.deepEqual(
      issues({ ...base, keywords: [] }).map((i) => [i.path, i.reason]),
      [["keywords", "keywordNeeded"]],
    );
    assert.deepEqual(
      issues({ ...base, trigger: "click", keywords: [], eventKey: null }).map((i) => [i.path, i.reason]),
      [["eventKey", "eventKeyNeeded"]],
    );
    assert.deepEqual(
      issues({ ...base, replies: [{ type: "text", content: "" }] }).map((i) => [i.path, i.reason]),
      [["replies[0].content", "required"]],
    );
    assert.deepEqual(
      issues({ ...base, replies: [{ type: "news", article: { title: "t", url: "javascript:alert(1)" } }] }).map((i) => [i.path, i.reason]),
      [["replies[0].article.url", "url"]],
    );
  });

  test("a time window: HH:MM each, not the same twice; crossing midnight is allowed", () => {
    assert.ok(validateRule({ ...base, window: { start: "18:00", end: "09:00" } }, verified).ok);
    assert.deepEqual(
      issues({ ...base, window: { start: "25:00", end: "09:00" } }).map((i) => [i.path, i.reason]),
      [["window.start", "clock"]],
    );
    assert.deepEqual(
      issues({ ...base, window: { start: "09:00", end: "09:00" } }).map((i) => [i.path, i.reason]),
      [["window", "windowSame"]],
    );
  });

  test("reply-all only where the customer-service API exists", () => {
    assert.equal(canReplyAll(unverified), false);
    assert.equal(canReplyAll({ accountType: "service", certified: false }), false);
    assert.equal(canReplyAll(verified), true);
    assert.deepEqual(
      issues({ ...base, replyMode: "all" }, unverified).map((i) => [i.path, i.reason]),
      [["replyMode", "needsCustomerService"]],
    );
    assert.ok(validateRule({ ...base, replyMode: "all" }, verified).ok);
  });

  test("the cooldown is whole seconds within 30 days", () => {
    assert.deepEqual(
      issues({ ...base, trigger: "default", keywords: [], cooldownSeconds: "soon" }).map((i) => i.path),
      ["cooldownSeconds"],
    );
    assert.ok(validateRule({ ...base, trigger: "default", keywords: [], cooldownSeconds: 0 }, verified).ok);
  });
});

let n = 0;
function rule(p: Partial<ReplyRule> & Pick<ReplyRule, "trigger" | "name">): ReplyRule {
  n++;
  return {
    id: `r${n}`,
    keywords: [],
    eventKey: null,
    enabled: true,
    priority: n,
    window: null,
    replyMode: "one",
    cooldownSeconds: 3600,
    replies: [{ type: "text", content: p.name }],
    ...p,
  };
}
const noon = new Date("2026-12-02T04:00:00Z"); // 12:00 in Asia/Shanghai
const night = new Date("2026-12-02T14:00:00Z"); // 22:00 in Asia/Shanghai

describe("the tester", () => {
  const rules = [
    rule({ name: "welcome", trigger: "welcome" }),
    rule({ name: "poster", trigger: "scan", eventKey: "poster" }),
    rule({ name: "menu", trigger: "click", eventKey: "V1001_GOOD" }),
    rule({ name: "closed", trigger: "keyword", keywords: [{ match: "contain", pattern: "人工" }], window: { startMin: 18 * 60, endMin: 9 * 60 } }),
    rule({ name: "human", trigger: "keyword", keywords: [{ match: "contain", pattern: "人工" }] }),
    rule({
      name: "all",
      trigger: "keyword",
      keywords: [{ match: "regex", pattern: "^order\\s*\\d+$" }],
      replyMode: "all",
      replies: [
        { type: "text", content: "first" },
        { type: "text", content: "second" },
      ],
    }),
    rule({ name: "off", trigger: "keyword", enabled: false, keywords: [{ match: "equal", pattern: "off" }] }),
    rule({ name: "fallback", trigger: "default", cooldownSeconds: 3600 }),
  ];
  const named = (event: Parameters<typeof testRules>[2], at = noon) => testRules(rules, "Asia/Shanghai", event, at).match?.rule.name ?? null;

  test("events as WeChat sends them: subscribe, subscribe through a QR code, SCAN, CLICK", () => {
    assert.equal(named({ type: "subscribe", scene: null }), "welcome");
    assert.equal(named({ type: "subscribe", scene: "poster" }), "poster");
    assert.equal(named({ type: "subscribe", scene: "qrscene_poster" }), "poster", "the qrscene_ prefix typed in is not doubled");
    assert.deepEqual(inboundOf({ type: "subscribe", scene: "poster" }).eventKey, "qrscene_poster");
    assert.equal(named({ type: "scan", scene: "poster" }), "poster");
    assert.equal(named({ type: "click", key: "V1001_GOOD" }), "menu");
    assert.equal(named({ type: "click", key: "unknown" }), null);
  });

  test("time windows in the account's zone decide, as in the callback", () => {
    assert.equal(named({ type: "text", content: "转人工" }, night), "closed");
    assert.equal(named({ type: "text", content: "转人工" }, noon), "human");
  });

  test("a disabled rule never answers; nothing matched falls to the default, whose cooldown is reported", () => {
    const result = testRules(rules, "Asia/Shanghai", { type: "text", content: "off" }, noon);
    assert.equal(result.match?.rule.name, "fallback");
    assert.equal(result.match?.kind, "default");
    assert.equal(result.cooldownSeconds, 3600);
    // Testing again changes nothing: the tester claims no cooldown.
    assert.equal(testRules(rules, "Asia/Shanghai", { type: "text", content: "off" }, noon).match?.rule.name, "fallback");
    assert.equal(testRules(rules, "Asia/Shanghai", { type: "text", content: "转人工" }, noon).cooldownSeconds, null);
  });

  test("reply-all shows every reply in order; no rule at all gives no match", () => {
    const result = testRules(rules, "Asia/Shanghai", { type: "text", content: "ORDER 42" }, noon);
    assert.equal(result.match?.rule.name, "all");
    assert.deepEqual(
      result.replies.map((r) => (r.type === "text" ? r.content : r.type)),
      ["first", "second"],
    );
    assert.equal(testRules([], "Asia/Shanghai", { type: "text", content: "hi" }, noon).match, null);
  });
});
