import assert from "node:assert/strict";
import { test } from "node:test";
import { eventually } from "../helpers/eventually";

test("eventually returns as soon as the check holds", async () => {
  let calls = 0;
  const started = Date.now();
  assert.equal(await eventually(() => ++calls >= 3 && "done", { intervalMs: 10 }), "done");
  assert.equal(calls, 3);
  assert.ok(Date.now() - started < 1_000);
});

test("past the deadline, eventually throws the check's last failure", async () => {
  await assert.rejects(
    eventually(() => assert.equal(1, 2, "one is not two"), { timeoutMs: 100, intervalMs: 10 }),
    /one is not two/,
  );
  await assert.rejects(
    eventually(() => false, { timeoutMs: 50, what: "the impossible" }),
    /the impossible did not happen within 50 ms/,
  );
});

test("eventually stops at once when giveUp names a reason, instead of waiting out the deadline", async () => {
  const started = Date.now();
  let calls = 0;
  await assert.rejects(
    eventually(() => ++calls > 1_000, { timeoutMs: 5_000, intervalMs: 10, giveUp: () => (calls >= 2 ? new Error("the process exited") : undefined) }),
    /the process exited/,
  );
  assert.equal(calls, 2);
  assert.ok(Date.now() - started < 1_000);
});
