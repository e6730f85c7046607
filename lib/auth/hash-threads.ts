import path from "node:path";
import { Worker } from "node:worker_threads";
import { log } from "../log";

// Password hashes run on threads of their own at the lowest CPU priority (nice 19). On Linux a
// nice value belongs to a thread, so the event loop, and the callback with it, keeps its own:
// when the cores are contended, the scheduler runs the callback first and bcrypt takes what is
// left; when they are idle, a hash is as fast as anywhere. On libuv's shared thread pool a flood
// of sign-ins competed with the callback as an equal, and its tail latency showed it.
// Where a thread cannot start or dies, the work falls back to that pool (still off the event loop).

export type HashWork = { op: "hash"; password: string; cost: number } | { op: "verify"; password: string; stored: string };
type Reply = { id: number; result?: string | boolean; error?: string };

// Plain CommonJS evaluated in the thread, invisible to the bundler (which would replace a module
// resolution in this file by its own module id). The addon resolves from the project root, where
// `npm start`, the CLI and the tests run.
const SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
try { require("node:os").setPriority(19); } catch {}
const { hashSync, verifySync } = require("node:module").createRequire(workerData.base)("@node-rs/bcrypt");
parentPort.on("message", (m) => {
  try {
    parentPort.postMessage({ id: m.id, result: m.op === "hash" ? hashSync(m.password, m.cost) : verifySync(m.password, m.stored) });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String((err && err.message) || err) });
  }
});
parentPort.postMessage({ id: 0, result: true });
`;

type Thread = { worker: Worker; busy: number; ready: boolean };
type Pending = { thread: Thread; resolve: (v: string | boolean) => void; reject: (e: Error) => void; fallback: () => Promise<string | boolean> };
type State = { threads: Thread[]; pending: Map<number, Pending>; nextId: number; broken: boolean };

const g = globalThis as typeof globalThis & { mpdeskHashThreads?: State };
const state = (): State => (g.mpdeskHashThreads ??= { threads: [], pending: new Map(), nextId: 1, broken: false });

function startThread(s: State): Thread {
  const worker = new Worker(SOURCE, { eval: true, workerData: { base: path.join(process.cwd(), "package.json") } });
  const thread: Thread = { worker, busy: 0, ready: false };
  // An idle thread never keeps a CLI command or a test process alive.
  worker.unref();
  worker.on("message", (m: Reply) => {
    if (m.id === 0) return void (thread.ready = true);
    if (--thread.busy === 0) worker.unref();
    const p = s.pending.get(m.id);
    s.pending.delete(m.id);
    if (m.error !== undefined) p?.reject(new Error(m.error));
    else p?.resolve(m.result!);
  });
  let ended = false;
  const end = (err: Error) => {
    if (ended) return;
    ended = true;
    s.threads = s.threads.filter((t) => t !== thread);
    // A thread that never came up will not come up next time either: stop trying.
    if (!thread.ready && !s.broken) {
      s.broken = true;
      log.warn("password.threads_unavailable", { error: err.message });
    }
    // Its jobs are not lost: each runs again on the pool.
    for (const [id, p] of s.pending) {
      if (p.thread !== thread) continue;
      s.pending.delete(id);
      p.fallback().then(p.resolve, p.reject);
    }
  };
  worker.on("error", end);
  worker.on("exit", (code) => end(new Error(`hashing thread exited (${code})`)));
  return thread;
}

/** Runs one hash or check on the least busy of `threads` low-priority threads (started on first use), else `fallback`. */
export function onHashThread<T extends string | boolean>(work: HashWork, threads: number, fallback: () => Promise<T>): Promise<T> {
  const s = state();
  if (s.broken) return fallback();
  let thread = s.threads.reduce<Thread | null>((best, t) => (!best || t.busy < best.busy ? t : best), null);
  if (!thread || (thread.busy > 0 && s.threads.length < threads)) {
    try {
      thread = startThread(s);
    } catch (err) {
      s.broken = true;
      log.warn("password.threads_unavailable", { error: (err as Error).message });
      return fallback();
    }
    s.threads.push(thread);
  }
  const id = s.nextId++;
  const chosen = thread;
  return new Promise<T>((resolve, reject) => {
    s.pending.set(id, { thread: chosen, resolve: resolve as (v: string | boolean) => void, reject, fallback });
    if (chosen.busy++ === 0) chosen.worker.ref();
    chosen.worker.postMessage({ id, ...work });
  });
}
