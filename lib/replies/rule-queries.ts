import { rawExecute, rawQuery, sql, type Queryable } from "../db";
import { LOCK_CLASS } from "../advisory-locks";
import { replyFromColumns, type ReplyColumns } from "./reply-columns";
import type { KeywordMatch, ReplyMode, ReplyRule, Trigger } from "./rule-fields";

// Raw SQL for the callback's side of the rules: the snapshot every instance loads after a change,
// and the cooldown claim. The console and the CLI write rules through Prisma (rule-set-io.ts).

export const RULES_CHANNEL = "mpdesk_reply_rules_changed";

type RawExecutor = { $executeRaw(query: TemplateStringsArray, ...values: unknown[]): Promise<number> };

/**
 * First statement of every transaction that writes an account's rules: two writers (an import and
 * a save, two imports) would otherwise read the same set and collide on its unique keys or
 * undo each other's order. Held to commit.
 */
export async function lockAccountRules(tx: RawExecutor, accountId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_CLASS.replyRules}::int, hashtext(${accountId}))`;
}

/** Inside the transaction that changes an account's rules: delivered at commit, so no instance reloads a half-written set. */
export async function notifyRulesChanged(tx: RawExecutor, accountId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${RULES_CHANNEL}, ${accountId})`;
}

export type AccountRules = { accountId: string; timeZone: string; rules: ReplyRule[] };

/** Every account with its enabled rules, keywords and replies in order, in one statement. */
export async function loadEnabledRules(db: Queryable): Promise<AccountRules[]> {
  const rows = await rawQuery<{
    account_id: string;
    time_zone: string;
    id: string | null;
    name: string;
    trigger: Trigger;
    event_key: string | null;
    enabled: boolean;
    priority: number;
    window_start_min: number | null;
    window_end_min: number | null;
    reply_mode: ReplyMode;
    cooldown_s: number;
    keywords: Array<{ match: KeywordMatch; pattern: string }>;
    replies: ReplyColumns[];
  }>(
    db,
    sql`SELECT a.id AS account_id, a.time_zone, r.id, r.name, r.trigger, r.event_key, r.enabled, r.priority,
      r.window_start_min, r.window_end_min, r.reply_mode, r.cooldown_s,
      COALESCE((SELECT json_agg(json_build_object('match', k.match, 'pattern', k.pattern) ORDER BY k.position)
        FROM reply_keyword k WHERE k.rule_id = r.id), '[]') AS keywords,
      COALESCE((SELECT json_agg(json_build_object('type', m.type, 'content', m.content, 'mediaId', m.media_id, 'title', m.title,
          'description', m.description, 'url', m.url, 'picUrl', m.pic_url, 'musicUrl', m.music_url, 'hqMusicUrl', m.hq_music_url,
          'thumbMediaId', m.thumb_media_id) ORDER BY m.position)
        FROM reply_message m WHERE m.rule_id = r.id), '[]') AS replies
    FROM account a LEFT JOIN reply_rule r ON r.account_id = a.id AND r.enabled
    ORDER BY a.id`,
  );
  const byAccount = new Map<string, AccountRules>();
  for (const r of rows) {
    let entry = byAccount.get(r.account_id);
    if (!entry) byAccount.set(r.account_id, (entry = { accountId: r.account_id, timeZone: r.time_zone, rules: [] }));
    if (!r.id) continue;
    entry.rules.push({
      id: r.id,
      name: r.name,
      trigger: r.trigger,
      keywords: r.keywords,
      eventKey: r.event_key,
      enabled: r.enabled,
      priority: r.priority,
      window: r.window_start_min === null || r.window_end_min === null ? null : { startMin: r.window_start_min, endMin: r.window_end_min },
      replyMode: r.reply_mode,
      cooldownSeconds: r.cooldown_s,
      replies: r.replies.map(replyFromColumns),
    });
  }
  return [...byAccount.values()];
}

/**
 * Claims a rule's answer to one follower: true when the rule has not answered them within its
 * cooldown (and records that it does now), or when `dedupeKey` is the message that last fired it
 * (a retry is the same decision, and does not move the clock). Atomic across instances.
 */
export async function claimCooldown(
  db: Queryable,
  c: { accountId: string; ruleId: string; follower: string; dedupeKey: string; cooldownS: number; at: Date },
): Promise<boolean> {
  const rows = await rawQuery<{ fired: boolean }>(
    db,
    sql`INSERT INTO reply_cooldown AS c (account_id, rule_id, follower, last_fired_at, dedupe_key)
      VALUES (${c.accountId}, ${c.ruleId}, ${c.follower}, ${c.at}, ${c.dedupeKey})
      ON CONFLICT (account_id, rule_id, follower) DO UPDATE
        SET last_fired_at = CASE WHEN c.dedupe_key = EXCLUDED.dedupe_key THEN c.last_fired_at ELSE EXCLUDED.last_fired_at END,
            dedupe_key = EXCLUDED.dedupe_key
        WHERE c.dedupe_key = EXCLUDED.dedupe_key OR c.last_fired_at <= EXCLUDED.last_fired_at - make_interval(secs => ${c.cooldownS})
      RETURNING true AS fired`,
  );
  return rows.length > 0;
}

/** Cooldowns that have run out decide nothing any more (a retry comes within seconds, not hours). */
export async function pruneReplyCooldowns(db: Queryable): Promise<number> {
  return rawExecute(
    db,
    sql`DELETE FROM reply_cooldown c USING reply_rule r
      WHERE r.id = c.rule_id AND c.last_fired_at < now() - make_interval(secs => r.cooldown_s) - interval '1 hour'`,
  );
}
