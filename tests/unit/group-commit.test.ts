import assert from "node:assert/strict";
import { test } from "node:test";
import { createGroupCommit } from "../../lib/messages/group-commit";

// A failed batch is retried once for all its callers, after a jittered pause, instead of each
// caller retrying on its own at the same instant.

test("a transient batch failure is retried as one batch, not once per caller", async () => {
  const calls: number[] = [];
  const flush = async (items: number[]) => {
    calls.push(items.length);
    if (calls.length === 1) throw Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" });
    return items.map((i) => i * 2);
  };
  const gc = createGroupCommit<number, number>(flush, { maxInFlight: 1 });
  const deadline = Date.now() + 3_000;
  const results = await Promise.all(Array.from({ length: 256 }, (_, i) => gc.submit(i, deadline)));
  assert.deepEqual(results, Array.from({ length: 256 }, (_, i) => i * 2));
  assert.deepEqual(calls, [256, 256], "two statements in all: the batch and its one retry");
});

test("a batch retry waits until the deadline at most, then fails every caller together", async () => {
  let calls = 0;
  const gc = createGroupCommit<number, number>(async () => {
    calls++;
    throw Object.assign(new Error("cannot execute INSERT in a read-only transaction"), { code: "25006" });
  });
  const started = Date.now();
  const deadline = started + 600;
  const settled = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => gc.submit(i, deadline)));
  assert.ok(settled.every((s) => s.status === "rejected" && (s.reason as { code?: string }).code === "25006"));
  assert.ok(Date.now() - started < 1_000, "gave up by the deadline");
  assert.ok(calls >= 2 && calls < 10, `retried a few times as a batch (${calls})`);
});
