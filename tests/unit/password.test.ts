import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import bcryptjs from "bcryptjs";
import { HASH_CONCURRENCY, HASH_QUEUE_LIMIT, hashGateState, hashPassword, passwordGateFull, verifyPassword } from "../../lib/auth/password";
import { eventually } from "../helpers/eventually";

test("hashes written by bcryptjs ($2a$, $2b$) still verify; a malformed hash is simply wrong", async () => {
  for (const minor of ["a", "b"] as const) {
    // The two prefixes differ only in a bug fix for non-ASCII input: the same bytes otherwise.
    const stored = bcryptjs.hashSync("old password", 4).replace(/^\$2[ab]\$/, `$2${minor}$`);
    assert.equal(await verifyPassword("old password", stored), true);
    assert.equal(await verifyPassword("other", stored), false);
  }
  assert.equal(await verifyPassword("x", "not a hash"), false);
});

test("a password check leaves the event loop idle: the callback keeps running meanwhile", async () => {
  const stored = await hashPassword("some password");
  const before = performance.eventLoopUtilization();
  await Promise.all([verifyPassword("some password", stored), verifyPassword("wrong", stored)]);
  const elu = performance.eventLoopUtilization(before);
  // bcryptjs computes on this thread (utilisation near 1); a native hash leaves it near 0.
  assert.ok(elu.utilization < 0.3, `event-loop utilisation during two cost-12 checks: ${elu.utilization.toFixed(2)}`);
});

test("beyond the running and waiting checks, a sign-in is refused at once", async () => {
  const stored = await hashPassword("p");
  let settled = 0;
  const admitted = Array.from({ length: HASH_CONCURRENCY + HASH_QUEUE_LIMIT }, () => verifyPassword("p", stored).finally(() => settled++));
  assert.equal(passwordGateFull(), true);
  await assert.rejects(verifyPassword("p", stored), { name: "AppError", code: "BUSY" });
  // Not a clock (a loaded machine makes any bound flaky): the refusal came before even the first
  // admitted check finished, so it did not wait for a slot.
  assert.equal(settled, 0, "refused without waiting for a running check");
  assert.deepEqual(
    await Promise.all(admitted),
    admitted.map(() => true),
  );
  assert.equal(passwordGateFull(), false);
  // Setting a password waits instead of being refused.
  const waiting = Array.from({ length: HASH_CONCURRENCY + HASH_QUEUE_LIMIT + 2 }, (_, i) => hashPassword(`p${i}`));
  assert.equal((await Promise.all(waiting)).length, HASH_CONCURRENCY + HASH_QUEUE_LIMIT + 2);
});

test("a sign-in's check rests its slot after answering, so anonymous checks keep at most half a core per slot busy", async () => {
  const stored = await hashPassword("p");
  await eventually(() => assert.equal(hashGateState().running, 0));
  assert.deepEqual(
    await Promise.all(Array.from({ length: HASH_CONCURRENCY }, () => verifyPassword("p", stored))),
    Array.from({ length: HASH_CONCURRENCY }, () => true),
  );
  // Answered, but the slots are still taken: the next check waits as long as this one hashed.
  assert.equal(hashGateState().running, HASH_CONCURRENCY);
  await eventually(() => assert.equal(hashGateState().running, 0));
});

/** CPU time (ms) spent so far by this process's threads whose nice value is 19. */
function niceThreadCpuMs(): number {
  let ticks = 0;
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const f = readFileSync(`/proc/self/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ");
      if (f[16] === "19") ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // The thread ended meanwhile.
    }
  }
  return ticks * 10;
}

test("the hashing runs on a thread at the lowest CPU priority, so under contention the event loop wins", { skip: process.platform !== "linux" }, async () => {
  const stored = await hashPassword("p");
  const before = niceThreadCpuMs();
  assert.equal(await verifyPassword("p", stored), true);
  // A cost-12 check is about 250 ms of CPU; on the shared thread pool none of it is nice 19.
  assert.ok(niceThreadCpuMs() - before >= 100, `CPU at nice 19 during a check: ${niceThreadCpuMs() - before} ms`);
  assert.equal(os.getPriority(), 0, "the event loop keeps its own priority");
});
