import { getPool } from "../db";
import { listenForNotifications } from "../db-listener";
import { getEnv } from "../env";
import { errorFields, log } from "../log";
import { forgetApiKeys } from "./api-keys";
import { refreshAccessToken } from "./refresh-access-token";
import { loadToken, tokenState } from "./token-cache";
import { pruneRefreshEvents, selectDueTimes } from "./token-store";

// The background refresher, started once per server process from instrumentation.ts. Every
// instance runs one and wakes when a token is due (refresh_at, the same for all of them, stored
// with the token); the advisory lock in refresh-access-token.ts lets exactly one ask WeChat, and
// the others find its token under the lock. An account gets a token row when something first
// needs its token; from then on it is kept fresh here, including retries after backoff.
//
// NOTIFY mpdesk_token_changed (sent after every refresh attempt) makes each instance reload its
// cached token and replan; mpdesk_account_changed replans (new credentials lift a block);
// mpdesk_api_keys_changed drops the API-key snapshot.

const PLAN_MS = 30_000; // replan at least this often: new rows, a lost notification
const PRUNE_MS = 3_600_000;
const MIN_TICK_MS = 100;

type Runtime = { started: boolean; timer: NodeJS.Timeout | null; planning: Promise<void> | null; replan: boolean };
const g = globalThis as typeof globalThis & { mpdeskTokenRuntime?: Runtime };

export async function startTokenRuntime(): Promise<void> {
  const rt = (g.mpdeskTokenRuntime ??= { started: false, timer: null, planning: null, replan: false });
  if (rt.started) return;
  rt.started = true;
  const env = getEnv();
  await listenForNotifications({
    connectionString: env.DATABASE_URL,
    channels: ["mpdesk_token_changed", "mpdesk_account_changed", "mpdesk_api_keys_changed"],
    onNotification(channel, payload) {
      if (channel === "mpdesk_api_keys_changed") return forgetApiKeys();
      if (channel === "mpdesk_token_changed" && payload && tokenState().cache.has(payload)) {
        loadToken(payload).catch((err) => log.warn("token.reload_failed", errorFields(err)));
      }
      plan(rt);
    },
    // Whatever changed while the listener was down.
    onConnect: () => plan(rt),
  });
  const prune = () =>
    pruneRefreshEvents(getPool(), env.MPDESK_TOKEN_EVENT_RETENTION_DAYS)
      .then((n) => n && log.info("token.events_pruned", { deleted: n, retentionDays: env.MPDESK_TOKEN_EVENT_RETENTION_DAYS }))
      .catch((err) => log.warn("token.prune_failed", errorFields(err)));
  void prune();
  setInterval(prune, PRUNE_MS).unref();
}

/** Reads when each account is next due and sets one timer for the earliest (and at most PLAN_MS away). */
function plan(rt: Runtime): void {
  if (rt.planning) {
    rt.replan = true;
    return;
  }
  rt.planning = (async () => {
    let wait = PLAN_MS;
    try {
      const rows = await selectDueTimes(getPool());
      const now = Date.now();
      const due = rows.filter((r) => r.dueAt.getTime() <= now);
      const next = rows.filter((r) => r.dueAt.getTime() > now).map((r) => r.dueAt.getTime() - now);
      wait = Math.min(PLAN_MS, ...next);
      if (due.length) {
        await Promise.all(
          due.map((r) =>
            refreshAccessToken(r.accountId, { trigger: "scheduled" }).catch((err) => log.warn("token.scheduled_refresh_failed", errorFields(err))),
          ),
        );
        rt.replan = true; // the refreshes moved refresh_at
      }
    } catch (err) {
      log.warn("token.plan_failed", errorFields(err));
    }
    if (rt.timer) clearTimeout(rt.timer);
    rt.timer = setTimeout(() => plan(rt), Math.max(MIN_TICK_MS, wait)).unref();
  })().finally(() => {
    rt.planning = null;
    if (rt.replan) {
      rt.replan = false;
      plan(rt);
    }
  });
}
