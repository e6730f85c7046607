import assert from "node:assert/strict";
import { test } from "node:test";
import { emptySql, joinSql, param, rawSql, sql } from "../../lib/db";
import { keysetPast, messageWhere } from "../../lib/messages/message-queries";

// Statements are composed from fragments and numbered once, when run: no text is spliced, and a
// value is never pasted into SQL text.

test("fragments compose, and placeholders are numbered in the final order", () => {
  const where = joinSql([sql`a = ${1}`, sql`b = ${"x"}`], " AND ");
  const q = sql`SELECT ${rawSql("id")} FROM t WHERE ${where}${emptySql} LIMIT ${10}`.toQuery();
  assert.equal(q.text, "SELECT id FROM t WHERE a = $1 AND b = $2 LIMIT $3");
  assert.deepEqual(q.values, [1, "x", 10]);
});

test("a param() used twice is one placeholder; the same plain value twice is two", () => {
  const v = param("o1");
  const q = sql`(f = ${v} OR t = ${v}) AND z = ${"UTC"} AND y = ${"UTC"}`.toQuery();
  assert.equal(q.text, "(f = $1 OR t = $1) AND z = $2 AND y = $3");
  assert.deepEqual(q.values, ["o1", "UTC", "UTC"]);
});

test("input never reaches the text: quotes and dollar signs stay values", () => {
  const hostile = "x' OR 1=1; -- $1";
  const q =
    sql`SELECT 1 WHERE ${messageWhere("acc", { type: hostile, openid: hostile }, "UTC")}${keysetPast("2026-11-24T05:06:07.123456Z~123", "<")}`.toQuery();
  assert.ok(!q.text.includes(hostile));
  assert.equal(
    q.text,
    "SELECT 1 WHERE account_id = $1 AND msg_type = $2 AND (from_user = $3 OR (direction = 'outbound' AND to_user = $3))" +
      " AND (received_at, id) < ($4::timestamptz, $5::bigint)",
  );
  assert.deepEqual(q.values, ["acc", hostile, hostile, "2026-11-24T05:06:07.123456Z", "123"]);
});
