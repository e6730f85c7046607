import assert from "node:assert/strict";
import { test } from "node:test";
import { freeName, listPlatformRules, PLATFORM_NAMES } from "../../lib/replies/import-wechat";

// The pure half of the platform import: reading get_current_autoreply_info's answer into rules,
// and naming them within the (account, name) constraint.

test("the welcome, default and keyword rules, with their switches and keys", () => {
  const rules = listPlatformRules({
    is_add_friend_reply_open: 1,
    is_autoreply_open: 0,
    add_friend_autoreply_info: { type: "text", content: "hi" },
    message_default_autoreply_info: { type: "img", content: "TEMP" },
    keyword_autoreply_info: {
      list: [
        {
          rule_name: " 价格 ",
          reply_mode: "random_one",
          keyword_list_info: [
            { type: "text", match_mode: "equal", content: "价格" },
            { type: "text", match_mode: "contain", content: "  " },
          ],
          reply_list_info: [{ type: "text", content: "99" }],
        },
        { rule_name: "价格", reply_mode: "reply_all", keyword_list_info: [{ type: "text", match_mode: "contain", content: "钱" }], reply_list_info: [] },
      ],
    },
  });
  assert.deepEqual(
    rules.map((r) => [r.originKey, r.name, r.trigger, r.open, r.replyMode]),
    [
      ["wechat:welcome", PLATFORM_NAMES.welcome, "welcome", true, null],
      ["wechat:default", PLATFORM_NAMES.default, "default", false, null],
      ["wechat:keyword:价格", "价格", "keyword", false, "random_one"],
      // Two platform rules of one name keep apart: their own key, and a name the constraint allows.
      ["wechat:keyword:价格#2", "价格 (2)", "keyword", false, "reply_all"],
    ],
  );
  assert.deepEqual(rules[2]!.keywords, [{ match: "equal", pattern: "价格" }], "a blank keyword is left out");
  assert.deepEqual(rules[3]!.keywords, [{ match: "contain", pattern: "钱" }]);
});

test("an account that never set an auto-reply has nothing to import", () => {
  assert.deepEqual(listPlatformRules({ is_add_friend_reply_open: 0, is_autoreply_open: 0 }), []);
});

test("a name taken by another rule gets a suffix, within 64 characters", () => {
  const taken = new Set(["价格", "价格 (公众平台)"]);
  assert.equal(
    freeName("欢迎", (n) => taken.has(n)),
    "欢迎",
  );
  assert.equal(
    freeName("价格", (n) => taken.has(n)),
    "价格 (公众平台 2)",
  );
  const long = "长".repeat(64);
  const name = freeName(long, (n) => n === long);
  assert.equal([...name].length, 64);
  assert.ok(name.endsWith(" (公众平台)"));
});
