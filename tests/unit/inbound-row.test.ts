import assert from "node:assert/strict";
import { test } from "node:test";
import { isLastingRowError, isTransientError } from "../../lib/db";
import { isAppError } from "../../lib/app-error";
import { FIELD_LIMITS, normalizeInbound } from "../../lib/messages/inbound-row";

const base = {
  ToUserName: "gh_97417a04a28d",
  FromUserName: "oAbCdEfGhIjKlMnOpQrStUvWxYz0",
  CreateTime: "1714112445",
  MsgType: "text",
  Content: "hi",
  MsgId: "24567890123456789012",
};
const normalize = (fields: Record<string, string>) => normalizeInbound(fields, "<xml/>", "00000000-0000-0000-0000-000000000000", false, new Date());

test("fields at their limit are accepted; one byte more is field_too_long naming the field", () => {
  for (const [name, limit] of Object.entries(FIELD_LIMITS)) {
    const fields = { ...base, MsgType: name === "Event" || name === "EventKey" ? "event" : "text", Event: "CLICK", [name]: "x".repeat(limit) };
    assert.doesNotThrow(() => normalize(fields), name);
    assert.throws(
      () => normalize({ ...fields, [name]: "x".repeat(limit + 1) }),
      (err: unknown) => isAppError(err, "INVALID_MESSAGE") && err.reason === "field_too_long" && err.message.startsWith(`${name} `),
    );
  }
  // Bytes, not characters: 400 CJK characters are 1,200 bytes.
  assert.throws(() => normalize({ ...base, MsgType: "event", Event: "VIEW", EventKey: "键".repeat(400) }), /EventKey/);
  // A CreateTime nobody validates still cannot push the dedupe key past the index row limit.
  assert.throws(() => normalize({ ...base, MsgType: "event", Event: "CLICK", CreateTime: "1".repeat(3000) }), /too long together/);
});

test("which database errors are passing and which are about the row", () => {
  const e = (code: string) => Object.assign(new Error(code), { code });
  for (const c of ["57014", "25006", "53100", "53200", "53300", "57P01", "08006", "40001", "40P01", "55P03", "58030", "ECONNREFUSED"]) {
    assert.ok(isTransientError(e(c)), c);
    assert.ok(!isLastingRowError(e(c)), c);
  }
  for (const c of ["54000", "22001", "22P02", "22P05", "23502", "23503", "23514"]) {
    assert.ok(isLastingRowError(e(c)), c);
    assert.ok(!isTransientError(e(c)), c);
  }
  for (const c of ["42P01", "XX000"]) assert.ok(!isLastingRowError(e(c)) && !isTransientError(e(c)), c);
});
