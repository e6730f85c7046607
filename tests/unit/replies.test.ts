import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { chooseReplies, compileRules, matchRule, releaseUnused, toPassiveReply } from "../../lib/replies/compile-rules";
import { normalizeForMatch } from "../../lib/replies/normalize-text";
import { re2Error } from "../../lib/replies/re2";
import { formatIssuePath, ZRuleSetFile, type ReplyRule } from "../../lib/replies/rule-fields";
import { isInWindow, minuteOfDay } from "../../lib/replies/time-window";

let n = 0;
function rule(p: Partial<ReplyRule> & Pick<ReplyRule, "trigger">): ReplyRule {
  n++;
  return {
    id: `r${n}`,
    name: p.name ?? `rule ${String(n).padStart(3, "0")}`,
    keywords: [],
    eventKey: null,
    enabled: true,
    priority: 0,
    window: null,
    replyMode: "one",
    cooldownSeconds: 3600,
    replies: [{ type: "text", content: p.name ?? `reply ${n}` }],
    ...p,
  };
}
const text = (content: string) => ({ msgType: "text", event: null, eventKey: null, content });
const event = (ev: string, key: string | null = null) => ({ msgType: "event", event: ev, eventKey: key, content: null });
const noon = new Date("2026-12-02T04:00:00Z"); // 12:00 in Asia/Shanghai
const named = (c: ReturnType<typeof compileRules>, row: Parameters<typeof matchRule>[1], at = noon) => matchRule(c, row, at)?.rule.name ?? null;

describe("normalisation", () => {
  test("full-width and half-width, Latin case and surrounding spaces compare equal", () => {
    assert.equal(normalizeForMatch("  ＡＢＣ　"), "abc");
    assert.equal(normalizeForMatch("Ｈｅｌｌｏ１２３！"), "hello123!");
    assert.equal(normalizeForMatch("\tHeLLo World \n"), "hello world");
    // Only Latin letters are folded: other scripts stay exactly as typed.
    assert.equal(normalizeForMatch("ΑΒΓ 退款"), "ΑΒΓ 退款");
    assert.notEqual(normalizeForMatch("a b"), normalizeForMatch("ab"));
  });
});

describe("keyword matching", () => {
  const rules = [
    rule({ name: "price", trigger: "keyword", priority: 10, keywords: [{ match: "equal", pattern: "ＰＲＩＣＥ" }] }),
    rule({ name: "refund", trigger: "keyword", priority: 20, keywords: [{ match: "contain", pattern: "退款" }] }),
    rule({ name: "order", trigger: "keyword", priority: 30, keywords: [{ match: "regex", pattern: "^order\\s*#?\\d{4,}$" }] }),
    rule({ name: "fallback", trigger: "default" }),
  ];
  const c = compileRules(rules, "Asia/Shanghai");

  test("equal ignores case, width and surrounding spaces, but not inner text", () => {
    assert.equal(named(c, text("  price ")), "price");
    assert.equal(named(c, text("Ｐrice")), "price");
    assert.equal(named(c, text("price?")), "fallback");
  });
  test("contain finds the keyword anywhere", () => {
    assert.equal(named(c, text("我想申请退款，谢谢")), "refund");
    assert.equal(named(c, text("退")), "fallback");
  });
  test("regex runs on the normalised text, case-insensitively", () => {
    assert.equal(named(c, text("ORDER #12345")), "order");
    assert.equal(named(c, text("ｏｒｄｅｒ 9999")), "order");
    assert.equal(named(c, text("order 12")), "fallback");
  });
  test("nothing matched on a text: the default rule; events and other types: none", () => {
    assert.equal(matchRule(c, text("hello"), noon)?.kind, "default");
    assert.equal(named(c, { msgType: "image", event: null, eventKey: null, content: null }), null);
    assert.equal(named(c, event("VIEW", "https://example.com")), null);
  });
  test("a disabled rule never answers", () => {
    const off = compileRules([rule({ name: "off", trigger: "keyword", enabled: false, keywords: [{ match: "equal", pattern: "x" }] })], "UTC");
    assert.equal(named(off, text("x")), null);
  });
});

describe("priority order", () => {
  test("the lowest priority wins whichever kind of keyword matched; ties by name", () => {
    const c = compileRules(
      [
        rule({ name: "b-equal", trigger: "keyword", priority: 50, keywords: [{ match: "equal", pattern: "help me" }] }),
        rule({ name: "a-regex", trigger: "keyword", priority: 5, keywords: [{ match: "regex", pattern: "help" }] }),
        rule({ name: "c-contain", trigger: "keyword", priority: 20, keywords: [{ match: "contain", pattern: "me" }] }),
      ],
      "UTC",
    );
    assert.equal(named(c, text("help me")), "a-regex");
    assert.equal(named(c, text("tell me")), "c-contain");
    const tie = compileRules(
      [
        rule({ name: "zeta", trigger: "keyword", keywords: [{ match: "contain", pattern: "hi" }] }),
        rule({ name: "alpha", trigger: "keyword", keywords: [{ match: "contain", pattern: "hi" }] }),
      ],
      "UTC",
    );
    assert.equal(named(tie, text("hi")), "alpha");
  });
  test("of several regexes the first by priority that matches answers (the combined pass only filters)", () => {
    const c = compileRules(
      [
        rule({ name: "r1", trigger: "keyword", priority: 1, keywords: [{ match: "regex", pattern: "^a+$" }] }),
        rule({ name: "r2", trigger: "keyword", priority: 2, keywords: [{ match: "regex", pattern: "b" }] }),
        rule({ name: "r3", trigger: "keyword", priority: 3, keywords: [{ match: "regex", pattern: "a" }] }),
      ],
      "UTC",
    );
    assert.ok(c.anyRegex);
    assert.equal(named(c, text("aaa")), "r1");
    assert.equal(named(c, text("ab")), "r2");
    assert.equal(named(c, text("ca")), "r3");
    assert.equal(named(c, text("zzz")), null);
    releaseUnused(new Map(), [c]);
  });
});

describe("events", () => {
  const c = compileRules(
    [
      rule({ name: "welcome", trigger: "welcome" }),
      rule({ name: "menu", trigger: "click", eventKey: "V1001_TODAY" }),
      rule({ name: "poster", trigger: "scan", eventKey: "poster42" }),
    ],
    "UTC",
  );
  test("subscribe → welcome; through a parametric QR code → that scene's scan rule first", () => {
    assert.equal(named(c, event("subscribe")), "welcome");
    assert.equal(named(c, event("subscribe", "qrscene_poster42")), "poster");
    assert.equal(named(c, event("subscribe", "qrscene_other")), "welcome");
  });
  test("CLICK by its EventKey, SCAN by its scene", () => {
    assert.equal(named(c, event("CLICK", "V1001_TODAY")), "menu");
    assert.equal(named(c, event("CLICK", "V1001_OTHER")), null);
    assert.equal(named(c, event("SCAN", "poster42")), "poster");
    assert.equal(named(c, event("unsubscribe")), null);
  });
});

describe("time windows", () => {
  const evening = { startMin: 18 * 60, endMin: 9 * 60 };
  test("a window across midnight holds in the evening and the night, not the day", () => {
    assert.ok(isInWindow(evening, 18 * 60));
    assert.ok(isInWindow(evening, 23 * 60 + 59));
    assert.ok(isInWindow(evening, 0));
    assert.ok(isInWindow(evening, 8 * 60 + 59));
    assert.ok(!isInWindow(evening, 9 * 60));
    assert.ok(!isInWindow(evening, 12 * 60));
    assert.ok(isInWindow({ startMin: 9 * 60, endMin: 18 * 60 }, 12 * 60));
    assert.ok(!isInWindow({ startMin: 9 * 60, endMin: 18 * 60 }, 18 * 60));
  });
  test("the minute of day is the account's own time zone's", () => {
    const at = new Date("2026-12-02T11:30:00Z");
    assert.equal(minuteOfDay(at, "UTC"), 11 * 60 + 30);
    assert.equal(minuteOfDay(at, "Asia/Shanghai"), 19 * 60 + 30);
    assert.equal(minuteOfDay(at, "America/New_York"), 6 * 60 + 30);
    assert.equal(minuteOfDay(new Date("2026-12-02T16:00:00Z"), "Asia/Shanghai"), 0);
  });
  test("an out-of-office rule answers only in its window, in the account's zone; outside, the next rule does", () => {
    const rules = [
      rule({ name: "out of office", trigger: "default", priority: 1, window: evening }),
      rule({ name: "office", trigger: "default", priority: 2 }),
    ];
    const shanghai = compileRules(rules, "Asia/Shanghai");
    const utc = compileRules(rules, "UTC");
    const at = new Date("2026-12-02T11:30:00Z"); // 19:30 in Shanghai, 11:30 in UTC
    assert.equal(named(shanghai, text("hi"), at), "out of office");
    assert.equal(named(utc, text("hi"), at), "office");
    assert.equal(named(shanghai, text("hi"), new Date("2026-12-02T00:59:00Z")), "out of office"); // 08:59
    assert.equal(named(shanghai, text("hi"), new Date("2026-12-02T01:00:00Z")), "office"); // 09:00
    // A zone the runtime does not know falls back to the default rather than failing every message.
    assert.equal(named(compileRules(rules, "Mars/Olympus"), text("hi"), at), "out of office");
  });
});

describe("regex safety", () => {
  test("a catastrophic pattern on a long input returns at once (RE2 is linear)", () => {
    const c = compileRules([rule({ name: "evil", trigger: "keyword", keywords: [{ match: "regex", pattern: "(a+)+$" }] })], "UTC");
    const input = "a".repeat(50_000) + "!";
    const started = performance.now();
    assert.equal(named(c, text(input)), null);
    const ms = performance.now() - started;
    assert.ok(ms < 200, `took ${ms.toFixed(1)} ms`);
    // The same pattern backtracks exponentially in V8: 30 characters would already take seconds.
  });
  test("patterns RE2 cannot run are refused with the reason", () => {
    assert.equal(re2Error("^order\\d+$"), null);
    assert.match(re2Error("(a)\\1") ?? "", /escape|backreference/i);
    assert.match(re2Error("(?<=a)b") ?? "", /perl operator|\(\?</);
    assert.match(re2Error("([a-z]") ?? "", /missing|paren/i);
  });
});

describe("reply modes", () => {
  const three = rule({
    trigger: "welcome",
    replies: [
      { type: "text", content: "1" },
      { type: "text", content: "2" },
      { type: "text", content: "3" },
    ],
  });
  test("one: the first; all: the first passively, the others left for deferred sends", () => {
    assert.deepEqual(chooseReplies({ ...three, replyMode: "one" }, "k"), { passive: three.replies[0], deferred: [] });
    assert.deepEqual(chooseReplies({ ...three, replyMode: "all" }, "k"), { passive: three.replies[0], deferred: three.replies.slice(1) });
  });
  test("random: varies across messages, the same for one message's retries", () => {
    const r = { ...three, replyMode: "random" as const };
    const picks = new Set(Array.from({ length: 60 }, (_, i) => (chooseReplies(r, `msg${i}`).passive as { content: string }).content));
    assert.equal(picks.size, 3);
    assert.deepEqual(chooseReplies(r, "msg7"), chooseReplies(r, "msg7"));
  });
  test("a news rule reply is one article", () => {
    assert.deepEqual(toPassiveReply({ type: "news", article: { title: "T", url: "https://example.com" } }), {
      type: "news",
      articles: [{ title: "T", url: "https://example.com" }],
    });
  });
});

describe("the rule-set file", () => {
  const ok = { name: "hi", trigger: "keyword", keywords: [{ match: "equal", pattern: "hi" }], replies: [{ type: "text", content: "hello" }] };
  test("defaults are filled in", () => {
    const r = ZRuleSetFile.parse({ version: 1, rules: [ok] }).rules[0]!;
    assert.deepEqual([r.enabled, r.priority, r.replyMode, r.cooldownSeconds, r.window, r.eventKey], [true, 0, "one", 3600, null, null]);
  });
  test("an error names the field's path", () => {
    const bad = ZRuleSetFile.safeParse({
      version: 1,
      rules: [ok, ok, { ...ok, name: "rx", keywords: [{ match: "regex", pattern: "(?<=x)y" }] }, { ...ok, name: "c", trigger: "click" }],
    });
    assert.ok(!bad.success);
    const messages = bad.error.issues.map((i) => `${formatIssuePath(i.path)}: ${i.message}`);
    assert.ok(
      messages.some((m) => /^rules\[2\]\.keywords\[0\]\.pattern: not a valid RE2 regex: /.test(m)),
      messages.join("\n"),
    );
    assert.ok(
      messages.some((m) => m.startsWith("rules[1].name: ")),
      messages.join("\n"),
    );
    assert.ok(
      messages.some((m) => m.startsWith("rules[3].eventKey: ")),
      messages.join("\n"),
    );
    assert.ok(
      messages.some((m) => m.startsWith("rules[3].keywords: ")),
      messages.join("\n"),
    );
    const version = ZRuleSetFile.safeParse({ version: 2, rules: [] });
    assert.ok(!version.success && formatIssuePath(version.error.issues[0]!.path) === "version");
    const window = ZRuleSetFile.safeParse({ version: 1, timeZone: "Mars/Olympus", rules: [{ ...ok, window: { start: "25:00", end: "09:00" } }] });
    assert.deepEqual(!window.success && window.error.issues.map((i) => formatIssuePath(i.path)), ["timeZone", "rules[0].window.start"]);
  });
});

describe("200 rules", () => {
  test("deciding costs microseconds: equal keywords are one Map lookup", () => {
    const rules: ReplyRule[] = [];
    for (let i = 0; i < 100; i++) rules.push(rule({ trigger: "keyword", priority: i, keywords: [{ match: "equal", pattern: `keyword ${i}` }] }));
    for (let i = 0; i < 50; i++) rules.push(rule({ trigger: "keyword", priority: 100 + i, keywords: [{ match: "contain", pattern: `phrase${i}` }] }));
    for (let i = 0; i < 50; i++) rules.push(rule({ trigger: "keyword", priority: 150 + i, keywords: [{ match: "regex", pattern: `^order-${i}-\\d+$` }] }));
    const c = compileRules(rules, "Asia/Shanghai");
    assert.equal(c.equal.size, 100);
    const rounds = 5_000;
    const started = performance.now();
    for (let i = 0; i < rounds; i++) matchRule(c, text(`bench message ${i}`), noon);
    const perCall = ((performance.now() - started) / rounds) * 1000;
    assert.ok(perCall < 200, `${perCall.toFixed(1)} µs per unmatched text`);
    assert.equal(named(c, text("KEYWORD 99")), rules[99]!.name);
    assert.equal(named(c, text("xx phrase7 xx")), rules[107]!.name);
    assert.equal(named(c, text("order-49-123")), rules[199]!.name);
  });
});
