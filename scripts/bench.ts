// `npm run bench`: the callback's throughput and latency against the framework's own floor.
// Starts an embedded PostgreSQL and the built app (as `npm start` does), then drives, with
// autocannon (50 connections, 10 s each, after a 2 s warm-up):
//   floor    GET /api/health/live — a trivial route of the same app
//   callback POST /api/wechat     — unique signed text messages, each durably stored
// alternating for BENCH_ROUNDS rounds (3), and reports the medians; then the callback's p99 at a
// steady 200 req/s, alone and during a flood of FLOOD_CLIENTS (24) concurrent bad sign-ins posted
// to next-auth's credentials endpoint, from a process of its own, as the login form's sign-in does;
// then the callback to one account at its own URL (/api/wechat/<AppID>), by round with 2 and with
// BENCH_ACCOUNTS (50) accounts configured; then two more accounts alternate, one with
// BENCH_RULES (200) reply rules (100 equal, 50 contain, 50 regex keywords; the texts match none,
// so every rule is tried) and one without, for BENCH_RULE_ROUNDS rounds (5); finally it checks
// that every message answered 2xx is in the database.
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import pg from "pg";
import { ensureDatabase, startThrowawayPostgres } from "../lib/embedded-postgres";
import { insertAccount, newSimAccount } from "../tests/helpers/accounts";
import { benchRuleSet, importReplyRules } from "../tests/helpers/reply-rules";
import { startApp, TEST_ENCRYPTION_KEY } from "../tests/helpers/app-server";
import { messageXml, signMessage, verificationPath, type SimAccount } from "../tests/helpers/wechat-simulator";
import { generateEncodingAesKey, generateToken } from "../lib/wechat/crypto";
import { buildApp } from "./lib/build";
import { startSignInFlood } from "./lib/sign-in-flood";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const mode = (process.env.BENCH_MODE ?? "plain") as SimAccount["mode"];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FLOOD_CLIENTS = Number(process.env.BENCH_FLOOD_CLIENTS ?? 24);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 50);
const RULES = Number(process.env.BENCH_RULES ?? 200);
// The rules phase checks a 5 % difference, and single rounds of one account drift by more than
// that on a shared VM, so it takes the median of more rounds than the others.
const RULE_ROUNDS = Number(process.env.BENCH_RULE_ROUNDS ?? Math.max(ROUNDS, 5));
const STEADY_RATE = 200;

type Result = { name: string; rps: number; p50: number; p99: number; non2xx: number; errors: number; total: number };

/** The round with the median throughput (its own latencies, not a mix of rounds). */
function median(results: Result[]): Result {
  return [...results].sort((a, b) => a.rps - b.rps)[Math.floor(results.length / 2)]!;
}

function run(name: string, opts: autocannon.Options, duration: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, duration, ...opts }, (err, r) => {
      if (err) return reject(err);
      resolve({ name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts, total: r["2xx"] });
    });
  });
}

async function main() {
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  delete process.env.DATABASE_URL;
  buildApp();
  const db = await startThrowawayPostgres();
  await ensureDatabase(db.adminUrl, "mpdesk");
  const account: SimAccount = { appId: `wx${randomBytes(8).toString("hex")}`, token: generateToken(32), encodingAesKey: generateEncodingAesKey(), mode };
  const app = await startApp({
    databaseUrl: db.urlFor("mpdesk"),
    env: {
      ...(process.env.BENCH_APP_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_APP_NODE_OPTIONS } : {}),
      WECHAT_APPID: account.appId,
      WECHAT_TOKEN: account.token,
      WECHAT_ENCODING_AES_KEY: account.encodingAesKey!,
      WECHAT_MESSAGE_MODE: mode,
    },
  });
  // Requests are signed before the clock starts: the load generator shares the machine's cores,
  // and signing during the run would tax the server being measured. One set at a time (for the
  // account the phase sends to), each with its own MsgIds.
  const prepare = (to: SimAccount, base: bigint, atPath: boolean) =>
    Array.from({ length: 150_000 }, (_, i) => {
      const msgId = (base + BigInt(i)).toString();
      const xml = messageXml({
        ToUserName: "gh_bench",
        FromUserName: `oBench${i % 1000}`,
        CreateTime: Math.floor(Date.now() / 1000),
        MsgType: "text",
        Content: `bench message ${i}`,
        MsgId: msgId,
      });
      const req = signMessage(to, xml);
      const path = atPath ? req.path.replace("/api/wechat?", `/api/wechat/${to.appId}?`) : req.path;
      return { msgId, request: { method: "POST" as const, path, body: req.body, headers: { "content-type": "text/xml" } } };
    });
  // The set being sent; the rules phase switches between two.
  let current = { prepared: prepare(account, 6054768590064713728n, false), next: 0 };
  const answered = new Set<string>();
  const callback = {
    url: app.url,
    requests: [
      {
        setupRequest: (r: object, context: Record<string, string>) => {
          const p = current.prepared[current.next++ % current.prepared.length]!;
          context.msgId = p.msgId;
          return { ...r, ...p.request };
        },
        onResponse: (status: number, _body: string, context: Record<string, string>) => {
          if (status >= 200 && status < 300) answered.add(context.msgId!);
        },
      },
    ],
  } as unknown as autocannon.Options;
  const floor = { url: `${app.url}/api/health/live` };
  try {
    console.log(`warming up (2 s each), then ${ROUNDS} rounds of ${DURATION} s per target with ${CONNECTIONS} connections; mode ${mode}…`);
    await run("warm-up", floor, 2);
    await run("warm-up", callback, 2);
    // Floor and callback alternate for ROUNDS rounds, so a noisy neighbour hits both alike;
    // the medians are reported.
    const floors: Result[] = [];
    const callbacks: Result[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      floors.push(await run("floor    GET  /api/health/live", floor, DURATION));
      callbacks.push(await run(`callback POST /api/wechat (${mode})`, callback, DURATION));
    }
    const f = median(floors);
    const c = median(callbacks);

    // The callback at a steady rate, without and then with a sign-in flood.
    const steady = { ...callback, connections: 10, overallRate: STEADY_RATE } as autocannon.Options;
    const quiet = await run(`callback at ${STEADY_RATE} req/s, no sign-ins`, steady, DURATION);
    const flood = startSignInFlood(app.url, FLOOD_CLIENTS);
    const flooded = await run(`callback at ${STEADY_RATE} req/s, ${FLOOD_CLIENTS} concurrent bad sign-ins`, steady, DURATION);
    const signIns = await flood.stop();

    // The callback sent to one account at its own URL, alternating by round between two accounts
    // configured (the bench's and this one) and ACCOUNTS (50): the 48 others are added and removed
    // between rounds, so both figures come from the same account, URL, table and moment.
    const many: Result[] = [];
    const few: Result[] = [];
    if (ACCOUNTS > 2) {
      const modes = ["plain", "compat", "safe"] as const;
      const others = Array.from({ length: ACCOUNTS - 2 }, (_, i) => newSimAccount(modes[i % 3]!));
      const target = { ...newSimAccount(mode), selectByAppId: false };
      await insertAccount(db.urlFor("mpdesk"), TEST_ENCRYPTION_KEY, target);
      const served = async (a: SimAccount) =>
        (await fetch(app.url + verificationPath(a, "bench").replace("/api/wechat?", `/api/wechat/${a.appId}?`))).status === 200;
      const until = async (what: string, done: () => Promise<boolean>) => {
        for (let tries = 0; !(await done()); tries++) {
          if (tries > 100) throw new Error(`${what} did not reach the app`);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      await until("the added account", () => served(target));
      current = { prepared: prepare(target, 7054768590064713728n, true), next: 0 };
      console.log(`the callback now sends to ${target.appId} at /api/wechat/<AppID>, with 2 and then ${ACCOUNTS} accounts configured, by round…`);
      await run("warm-up", callback, 2);
      for (let round = 0; round < ROUNDS; round++) {
        few.push(await run(`callback POST /api/wechat/<AppID> (${mode}), 2 accounts`, callback, DURATION));
        for (const a of others) await insertAccount(db.urlFor("mpdesk"), TEST_ENCRYPTION_KEY, a);
        await until(`the ${ACCOUNTS - 2} added accounts`, () => served(others.at(-1)!));
        many.push(await run(`callback POST /api/wechat/<AppID> (${mode}), ${ACCOUNTS} accounts`, callback, DURATION));
        await query(
          db.urlFor("mpdesk"),
          `DELETE FROM account WHERE app_id IN (${others.map((a) => `'${a.appId}'`).join(", ")}); NOTIFY mpdesk_account_changed`,
        );
        await until(`the removal of the ${ACCOUNTS - 2} accounts`, async () => !(await served(others.at(-1)!)));
      }
    }

    // Two accounts of the same mode at their own URLs, one with RULES reply rules, alternating.
    const withRules: Result[] = [];
    const withoutRules: Result[] = [];
    if (RULES > 0) {
      const bare = { ...newSimAccount(mode), selectByAppId: false };
      const ruled = { ...newSimAccount(mode), selectByAppId: false };
      for (const a of [bare, ruled]) await insertAccount(db.urlFor("mpdesk"), TEST_ENCRYPTION_KEY, a);
      const equal = Math.round(RULES / 2),
        contain = Math.round(RULES / 4);
      await importReplyRules(db.urlFor("mpdesk"), ruled.appId, benchRuleSet({ equal, contain, regex: RULES - equal - contain }));
      // A keyword answering proves the rules reached the app before the clock starts.
      for (let tries = 0; ; tries++) {
        const probe = { ToUserName: "gh_bench", FromUserName: "oProbe", CreateTime: Math.floor(Date.now() / 1000), MsgType: "text", Content: "keyword 0" };
        const req = signMessage(ruled, messageXml({ ...probe, MsgId: String(tries + 1) }));
        const res = await fetch(app.url + req.path.replace("/api/wechat?", `/api/wechat/${ruled.appId}?`), { method: "POST", body: req.body });
        if ((await res.text()) !== "success") break;
        if (tries > 100) throw new Error("the reply rules did not reach the app");
        await new Promise((r) => setTimeout(r, 50));
      }
      current = { prepared: [], next: 0 }; // the previous phase's requests, freed before preparing two more sets
      const sets = {
        bare: { prepared: prepare(bare, 8054768590064713728n, true), next: 0 },
        ruled: { prepared: prepare(ruled, 8154768590064713728n, true), next: 0 },
      };
      console.log(`${RULES} reply rules on ${ruled.appId}; alternating with ${bare.appId}, which has none…`);
      for (const set of [sets.bare, sets.ruled]) {
        current = set;
        await run("warm-up", callback, 2);
      }
      // Which goes first alternates by round, so neither always follows the other's garbage.
      for (let round = 0; round < RULE_ROUNDS; round++) {
        for (const ruledNow of round % 2 ? [true, false] : [false, true]) {
          current = ruledNow ? sets.ruled : sets.bare;
          if (ruledNow) withRules.push(await run(`callback POST /api/wechat/<AppID> (${mode}), ${RULES} rules`, callback, DURATION));
          else withoutRules.push(await run(`callback POST /api/wechat/<AppID> (${mode}), no rules`, callback, DURATION));
        }
      }
    }
    const { rows } = await query(db.urlFor("mpdesk"), "SELECT msg_id FROM message");
    const stored = new Set(rows.map((r: { msg_id: string }) => r.msg_id));
    const missing = [...answered].filter((id) => !stored.has(id)).length;

    console.log("\n| target | req/s | p50 ms | p99 ms | 2xx | non-2xx | errors |\n|---|---|---|---|---|---|---|");
    floors.forEach((fl, i) => {
      for (const r of [fl, callbacks[i]!])
        console.log(`| ${r.name}, round ${i + 1} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.total} | ${r.non2xx} | ${r.errors} |`);
    });
    few.forEach((fw, i) => {
      for (const r of [fw, many[i]!])
        console.log(`| ${r.name}, round ${ROUNDS + i + 1} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.total} | ${r.non2xx} | ${r.errors} |`);
    });
    withoutRules.forEach((bare, i) => {
      for (const r of [bare, withRules[i]!])
        console.log(`| ${r.name}, round ${2 * ROUNDS + i + 1} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.total} | ${r.non2xx} | ${r.errors} |`);
    });
    const m = many.length ? median(many) : null;
    const mf = few.length ? median(few) : null;
    const wr = withRules.length ? median(withRules) : null;
    const wo = withoutRules.length ? median(withoutRules) : null;
    for (const r of [f, c, ...(m && mf ? [mf, m] : []), ...(wr && wo ? [wo, wr] : [])])
      console.log(`| **median** ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | | | |`);
    for (const r of [quiet, flooded]) console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.total} | ${r.non2xx} | ${r.errors} |`);
    console.log(`\ncallback / floor = ${((c.rps / f.rps) * 100).toFixed(1)} %  (target ≥ 75 %); callback p99 = ${c.p99} ms (target ≤ 100 ms)`);
    if (m && mf) {
      console.log(
        `with ${ACCOUNTS} accounts configured: callback = ${((m.rps / mf.rps) * 100).toFixed(1)} % of the same account's callback with 2 configured; p99 ${m.p99} ms (with 2: ${mf.p99} ms)`,
      );
    }
    if (wr && wo) {
      console.log(
        `with ${RULES} reply rules: callback = ${((wr.rps / wo.rps) * 100).toFixed(1)} % of the callback without rules (target ≥ 95 %); p99 ${wr.p99} ms (without ${wo.p99} ms)`,
      );
    }
    console.log(`callback p99 at ${STEADY_RATE} req/s: ${quiet.p99} ms without sign-ins, ${flooded.p99} ms during the flood`);
    console.log(
      `sign-ins during the flood: ${Object.entries(signIns)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
    );
    if (signIns.error) process.exitCode = 1;
    console.log(`messages answered 2xx: ${answered.size}; of those missing from PostgreSQL: ${missing}; rows stored: ${stored.size}`);
    if (missing) process.exitCode = 1;
  } finally {
    await app.stop();
    await db.stop();
  }
}

async function query(url: string, sql: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
