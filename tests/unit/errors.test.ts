import { test } from "node:test";
import assert from "node:assert/strict";
import { isAppError } from "../../lib/app-error";
import { describeConfigError } from "../../lib/tokens/describe-token-error";
import { readdirSync, readFileSync } from "node:fs";
import { fmt } from "../../lib/i18n";
import { en } from "../../lib/i18n/en";
import { zh } from "../../lib/i18n/zh";
import { classifyErrcode, CONFIG_ERRCODES, configErrorFix, extractIpFromErrmsg, protocolError, type WeChatErrorClass } from "../../lib/wechat/errors";

test("a protocol error carries a reason and is a real Error", () => {
  const err = protocolError("bad_padding", "invalid padding");
  assert.ok(err instanceof Error);
  assert.ok(isAppError(err, "WECHAT_PROTOCOL"));
  assert.equal(err.reason, "bad_padding");
  assert.equal(err.message, "invalid padding");
  assert.equal(err.name, "AppError");
  assert.equal(protocolError("doctype").message, "doctype");
});

test("classifyErrcode", () => {
  const table: Array<[number | undefined, WeChatErrorClass]> = [
    [undefined, "ok"],
    [0, "ok"],
    [40001, "invalid-token"],
    [40014, "invalid-token"],
    [42001, "invalid-token"],
    [40013, "config"],
    [40125, "config"],
    [40164, "config"],
    [40243, "config"],
    [89501, "config"],
    [89503, "config"],
    [89506, "config"],
    [89507, "config"],
    [-1, "busy"],
    [45011, "minute-quota"],
    [45009, "daily-quota"],
    [48001, "permission"],
    [45015, "other"],
    [45047, "other"],
    [40003, "other"],
    [1, "other"],
  ];
  for (const [code, expected] of table) assert.equal(classifyErrcode(code), expected, String(code));
});

test("extractIpFromErrmsg: the documented 40164 message", () => {
  assert.equal(extractIpFromErrmsg("invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist rid: 6523ef1c-4e1d6a2c-2f3c1f5e"), "203.0.113.7");
  assert.equal(extractIpFromErrmsg("invalid ip 198.51.100.23, not in whitelist hint: [abc]"), "198.51.100.23");
});

test("extractIpFromErrmsg: IPv6-only and mapped addresses", () => {
  assert.equal(
    extractIpFromErrmsg("invalid ip 2408:8207:2466:5e30::1 ipv6 2408:8207:2466:5e30::1, not in whitelist rid: 6523ef1c-4e1d6a2c"),
    "2408:8207:2466:5e30::1",
  );
  assert.equal(extractIpFromErrmsg("invalid ip  ipv6 2001:db8::8a2e:370:7334, not in whitelist rid: 1-2"), "2001:db8::8a2e:370:7334");
  assert.equal(extractIpFromErrmsg("invalid ip ::ffff:192.0.2.9, not in whitelist"), "192.0.2.9");
});

test("extractIpFromErrmsg: IP elsewhere in the message, or none", () => {
  assert.equal(extractIpFromErrmsg("api unauthorized from 192.0.2.44. rid: 65"), "192.0.2.44");
  assert.equal(extractIpFromErrmsg("invalid appsecret, view more at http://t.cn/RAEkdVq rid: 6523ef1c-4e1d6a2c"), null);
  assert.equal(extractIpFromErrmsg("version 1.2.3.4.5 is not an address"), null);
  assert.equal(extractIpFromErrmsg("999.1.1.1 is not an address"), null);
  assert.equal(extractIpFromErrmsg(""), null);
});

test("describeConfigError 40164 names the IP and where to whitelist it", () => {
  const d = describeConfigError(40164, "invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist rid: 6523…");
  assert.equal(d.en, "Add 203.0.113.7 to the IP whitelist in 设置与开发 → 基本配置, then retry.");
  assert.ok(d.zh.includes("203.0.113.7") && d.zh.includes("设置与开发 → 基本配置") && d.zh.includes("白名单"), d.zh);
  const noIp = describeConfigError(40164, "not in whitelist");
  assert.ok(noIp.en.includes("outbound IP") && noIp.zh.includes("出口 IP"));
});

test("describeConfigError gives a distinct, actionable fix for every config code", () => {
  const expectations: Array<[number, RegExp, RegExp]> = [
    [40125, /AppSecret is wrong/, /AppSecret 不正确/],
    [40013, /AppID is invalid/, /AppID 无效/],
    [40243, /frozen/, /冻结/],
    [89501, /waiting for the account administrator/, /等待管理员/],
    [89503, /administrator's confirmation/, /需要管理员确认/],
    [89506, /24 hours/, /24 小时/],
    [89507, /1 hour/, /1 小时/],
  ];
  const seen = new Set<string>();
  for (const [code, en, zh] of expectations) {
    const d = describeConfigError(code, "invalid ip 192.0.2.1, rid: 1");
    assert.match(d.en, en, String(code));
    assert.match(d.zh, zh, String(code));
    seen.add(d.en);
  }
  assert.equal(seen.size, expectations.length);
  assert.ok(describeConfigError(89503, "invalid ip 192.0.2.1").en.includes("192.0.2.1"));
});

test("describeConfigError falls back to the raw errcode and errmsg", () => {
  const d = describeConfigError(45009, "reach max api daily quota limit");
  assert.ok(d.en.includes("45009") && d.en.includes("reach max api daily quota limit"));
  assert.ok(d.zh.includes("45009"));
});

test("the fixes are the dictionaries' sentences, filled in: lib/wechat holds no copy of its own", () => {
  const ip = "192.0.2.1";
  for (const code of CONFIG_ERRCODES) {
    const d = describeConfigError(code, `invalid ip ${ip}, rid: 1`);
    assert.equal(d.en, fmt(en.wechatErrors.errcodes[`${code}`], { ip }), `${code} en`);
    assert.equal(d.zh, fmt(zh.wechatErrors.errcodes[`${code}`], { ip }), `${code} zh`);
  }
  assert.equal(describeConfigError(40164, "not in whitelist").zh, fmt(zh.wechatErrors.errcodes["40164"], { ip: zh.wechatErrors.unknownIp }));
  assert.deepEqual(configErrorFix(40164, `invalid ip ${ip}, not in whitelist`), {
    sentence: "40164",
    ip,
    errcode: 40164,
    errmsg: `invalid ip ${ip}, not in whitelist`,
  });
  assert.equal(configErrorFix(45015, "x").sentence, "other");
  const wechatSources = readdirSync(new URL("../../lib/wechat/", import.meta.url)).map((f) =>
    readFileSync(new URL(`../../lib/wechat/${f}`, import.meta.url), "utf8"),
  );
  assert.ok(!wechatSources.some((src) => /[\u4e00-\u9fff]/.test(src)), "no Chinese sentences in lib/wechat");
});
