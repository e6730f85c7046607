import type pg from "pg";
import { listenForNotifications, type DbListener } from "../db-listener";
import { errorFields, log } from "../log";
import { createReloader } from "../reloader";
import type { InboundRow } from "../messages/inbound-row";
import type { PassiveReply } from "../wechat/reply";
import { chooseReplies, compileRules, matchRule, releaseUnused, toPassiveReply, type CompiledRules, type RuleMatch } from "./compile-rules";
import type { Re2 } from "./re2";
import type { RuleReply } from "./rule-fields";
import { claimCooldown, loadEnabledRules, RULES_CHANNEL } from "./rule-queries";

// Every account's enabled rules, compiled and held in memory, as the account directory holds
// credentials: deciding a reply reads no table. A saved or imported rule set sends NOTIFY
// mpdesk_reply_rules_changed (an account's time zone, mpdesk_account_changed), and each instance
// reloads; a reload every RELOAD_MS covers a lost listener. When the database is down the last
// snapshot keeps answering.
//
// The one write is the default rule's cooldown, and only when it would fire: a follower it
// answered within the cooldown is turned away from memory, without a round trip.

const RELOAD_MS = 30_000;
/** After a failed first load, answer "no rule" for this long instead of waiting on the database again. */
const COLD_RETRY_MS = 2_000;
/** The cooldown claim must leave the callback its budget: past this, memory decides alone. */
const CLAIM_TIMEOUT_MS = 500;
/** A follower another instance answered recently is asked about again after this long. */
const REFUSAL_MEMORY_MS = 60_000;
const MAX_REMEMBERED = 100_000;

export type ReplyDecision = {
  reply: PassiveReply;
  ruleId: string;
  ruleName: string;
  kind: RuleMatch["kind"];
  /** Reply mode "all": the replies after the first. Kept for the deferred-send step; nothing sends them yet. */
  deferred: RuleReply[];
};

type Snapshot = { byAccount: Map<string, CompiledRules>; loadedAt: number };

export function createReplyRules(opts: { pool: pg.Pool; connectionString: string; now?: () => Date }) {
  const now = opts.now ?? (() => new Date());
  const regexCache = new Map<string, Re2>();
  let snapshot: Snapshot | null = null;
  let failedAt = 0;
  let attempted = false;
  let listener: DbListener | null = null;
  // (account, rule, follower) → when this instance last knew the rule answered them, and for which message.
  const fired = new Map<string, { at: number; dedupeKey: string }>();

  async function load(): Promise<Snapshot> {
    const accounts = await loadEnabledRules(opts.pool);
    const byAccount = new Map(accounts.map((a) => [a.accountId, compileRules(a.rules, a.timeZone, regexCache)]));
    snapshot = { byAccount, loadedAt: Date.now() };
    releaseUnused(regexCache, byAccount.values());
    return snapshot;
  }

  const reloader = createReloader(() =>
    load().catch((err) => {
      failedAt = Date.now();
      throw err;
    }),
  );
  function reload(): Promise<Snapshot> {
    attempted = true;
    return reloader.reload();
  }

  const reloadQuietly = () => void reload().catch((err) => log.warn("replies.reload_failed", errorFields(err)));

  async function current(): Promise<Snapshot | null> {
    if (snapshot) {
      if (Date.now() - snapshot.loadedAt > RELOAD_MS && !reloader.running() && Date.now() - failedAt > COLD_RETRY_MS) reloadQuietly();
      return snapshot;
    }
    // Only the very first load is waited for; after a failure the callback answers "no rule" at
    // once while loads are retried behind it, rather than spend its budget on a database that is down.
    if (!attempted) {
      attempted = true;
      return reload().catch((err) => (log.warn("replies.load_failed", errorFields(err)), null));
    }
    const loading = reloader.running();
    if (loading && !failedAt) return loading.catch(() => null); // the first load, still under way
    if (!loading && Date.now() - failedAt >= COLD_RETRY_MS) reloadQuietly();
    return null;
  }

  async function cooldownAllows(match: RuleMatch, row: InboundRow, at: Date): Promise<boolean> {
    const rule = match.rule;
    if (match.kind !== "default" || rule.cooldownSeconds <= 0) return true;
    const key = `${row.accountId}\u0000${rule.id}\u0000${row.fromUser}`;
    const known = fired.get(key);
    if (known?.dedupeKey === row.dedupeKey) return true;
    if (known && at.getTime() - known.at < rule.cooldownSeconds * 1000) return false;
    const remember = (v: { at: number; dedupeKey: string }) => {
      if (fired.size >= MAX_REMEMBERED) fired.clear(); // forgetting only costs a claim in the database
      fired.set(key, v);
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      const claimed = await Promise.race([
        claimCooldown(opts.pool, {
          accountId: row.accountId,
          ruleId: rule.id,
          follower: row.fromUser,
          dedupeKey: row.dedupeKey,
          cooldownS: rule.cooldownSeconds,
          at,
        }),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("cooldown claim timed out")), CLAIM_TIMEOUT_MS))),
      ]);
      if (claimed) remember({ at: at.getTime(), dedupeKey: row.dedupeKey });
      // Answered within the cooldown, by this instance before a restart or by another one.
      else remember({ at: at.getTime() - rule.cooldownSeconds * 1000 + REFUSAL_MEMORY_MS, dedupeKey: "" });
      return claimed;
    } catch (err) {
      // The database is down: this instance's memory decides, so a follower is still answered once.
      log.warn("replies.cooldown_unavailable", errorFields(err));
      remember({ at: at.getTime(), dedupeKey: row.dedupeKey });
      return true;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The rule that answers this message and its passive reply, or null for "success". */
  async function decide(row: InboundRow): Promise<ReplyDecision | null> {
    const s = await current();
    const compiled = s?.byAccount.get(row.accountId);
    if (!compiled) return null;
    const at = now();
    const match = matchRule(compiled, row, at);
    if (!match || !(await cooldownAllows(match, row, at))) return null;
    const choice = chooseReplies(match.rule, row.dedupeKey);
    return { reply: toPassiveReply(choice.passive), ruleId: match.rule.id, ruleName: match.rule.name, kind: match.kind, deferred: choice.deferred };
  }

  async function listen(): Promise<void> {
    if (listener) return;
    listener = await listenForNotifications({
      connectionString: opts.connectionString,
      channels: [RULES_CHANNEL, "mpdesk_account_changed"],
      onNotification: reloadQuietly,
      onConnect: () => reload().then(() => {}), // changes made while we were not listening
    });
  }

  async function close(): Promise<void> {
    await listener?.close();
    listener = null;
  }

  return { decide, reload: () => reload().then(() => {}), listen, close };
}

export type ReplyRules = ReturnType<typeof createReplyRules>;
