import assert from "node:assert/strict";
import { test } from "node:test";
import { isTransientError } from "../../lib/db";
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
  const gc = createGroupCommit<number, number>(flush, { maxInFlight: 1, retryable: isTransientError });
  const deadline = Date.now() + 3_000;
  const results = await Promise.all(Array.from({ length: 256 }, (_, i) => gc.submit(i, deadline)));
  assert.deepEqual(
    results,
    Array.from({ length: 256 }, (_, i) => i * 2),
  );
  assert.deepEqual(calls, [256, 256], "two statements in all: the batch and its one retry");
});

test("a batch retry waits until the deadline at most, then fails every caller together", async () => {
  let calls = 0;
  const gc = createGroupCommit<number, number>(
    async () => {
      calls++;
      throw Object.assign(new Error("cannot execute INSERT in a read-only transaction"), { code: "25006" });
    },
    { retryable: isTransientError },
  );
  const started = Date.now();
  const deadline = started + 600;
  const settled = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => gc.submit(i, deadline)));
  assert.ok(settled.every((s) => s.status === "rejected" && (s.reason as { code?: string }).code === "25006"));
  assert.ok(Date.now() - started < 1_000, "gave up by the deadline");
  assert.ok(calls >= 2 && calls < 10, `retried a few times as a batch (${calls})`);
});

test("an error no retry can change fails at once", async () => {
  let calls = 0;
  const gc = createGroupCommit<number, number>(
    async () => {
      calls++;
      throw Object.assign(new Error("index row size 3016 exceeds btree version 4 maximum 2704"), { code: "54000" });
    },
    { retryable: isTransientError },
  );
  await assert.rejects(gc.submit(1, Date.now() + 3_000), { code: "54000" });
  assert.equal(calls, 1);
});

test("an item whose deadline passed while queued is not written", async () => {
  const written: number[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const gc = createGroupCommit<number, number>(
    async (items) => {
      await gate;
      written.push(...items);
      return items;
    },
    { maxInFlight: 1 },
  );
  const first = gc.submit(1, Date.now() + 3_000);
  await new Promise((r) => setImmediate(r));
  const late = gc.submit(2, Date.now() + 20);
  // A deliberate sleep: what is tested is the deadline passing while the item waits, so time
  // has to pass; there is no event to wait for instead.
  await new Promise((r) => setTimeout(r, 40));
  release();
  assert.equal(await first, 1);
  await assert.rejects(late, { code: "DEADLINE_PASSED" });
  assert.deepEqual(written, [1]);
});
