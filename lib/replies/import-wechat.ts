import { randomUUID } from "node:crypto";
import type { TAccountType } from "../accounts/account-fields";
import { capabilityOf } from "../accounts/capabilities";
import type { Prisma, Queryable } from "../db";
import { callWeChatApi } from "../tokens/call-wechat-api";
import { convertPlatformReply, type PlatformReplyItem } from "./platform-reply";
import { replyToColumns } from "./reply-columns";
import { DEFAULT_COOLDOWN_S, LIMITS, ZRuleInput, type RuleReply, type TRuleInput } from "./rule-fields";
import { notifyRulesChanged } from "./rule-queries";

// Takes over the auto-replies set in the MP admin (自动回复): enabling 服务器配置 stops WeChat from
// running them, so without this a team's followers lose their welcome and keyword answers the
// moment mpdesk is connected. The rules mpdesk makes carry origin 'wechat_import' and an
// origin_key per platform rule, so importing again updates those and nothing else.

export const AUTOREPLY_PATH = "/cgi-bin/get_current_autoreply_info";

type PlatformKeyword = { type?: string; match_mode?: string; content?: string };
export type PlatformKeywordRule = {
  rule_name?: string;
  create_time?: number;
  reply_mode?: string;
  keyword_list_info?: PlatformKeyword[];
  reply_list_info?: PlatformReplyItem[];
};
/** get_current_autoreply_info's answer, as WeChat words it. */
export type PlatformAutoreply = {
  is_add_friend_reply_open?: number;
  is_autoreply_open?: number;
  add_friend_autoreply_info?: PlatformReplyItem;
  message_default_autoreply_info?: PlatformReplyItem;
  keyword_autoreply_info?: { list?: PlatformKeywordRule[] };
};

/** Why an imported rule is off (reply_rule.disabled_reason): a word the console translates, and the CLI spells out. */
export const IMPORT_DISABLED_REASONS = {
  welcome_off_on_platform: "被关注回复 was switched off in the MP admin",
  autoreply_off_on_platform: "自动回复 was switched off in the MP admin",
  reply_all_needs_customer_service: "回复全部 sends the 2nd and later replies through the customer-service API, which this account kind lacks",
  no_passive_replies: "this account kind cannot answer a message with a reply",
  removed_on_platform: "no longer in the MP admin's 自动回复",
} as const;
export type ImportDisabledReason = keyof typeof IMPORT_DISABLED_REASONS;

export const WELCOME_KEY = "wechat:welcome";
export const DEFAULT_KEY = "wechat:default";
export const keywordKey = (ruleName: string) => `wechat:keyword:${ruleName}`;
/** The platform's words for its two fixed rules, used as the imported rules' names. */
export const PLATFORM_NAMES = { welcome: "被关注回复", default: "收到消息回复" } as const;

// The platform's own keyword rules come after rules written in the console (priority 0), which
// are newer intent; among themselves they keep the MP admin's order.
const KEYWORD_PRIORITY = 1000;

export async function fetchPlatformAutoreply(accountId: string): Promise<PlatformAutoreply> {
  return callWeChatApi<PlatformAutoreply>(accountId, { method: "GET", path: AUTOREPLY_PATH });
}

/** One platform rule, before its media are re-hosted: what the console shows before importing. */
export type PlatformRuleView = {
  originKey: string;
  trigger: "welcome" | "default" | "keyword";
  name: string;
  open: boolean;
  keywords: Array<{ match: "equal" | "contain"; pattern: string }>;
  replyMode: "reply_all" | "random_one" | null;
  replies: PlatformReplyItem[];
};

export function listPlatformRules(platform: PlatformAutoreply): PlatformRuleView[] {
  const out: PlatformRuleView[] = [];
  const autoreplyOpen = platform.is_autoreply_open !== 0;
  if (platform.add_friend_autoreply_info?.type) {
    out.push({
      originKey: WELCOME_KEY,
      trigger: "welcome",
      name: PLATFORM_NAMES.welcome,
      open: platform.is_add_friend_reply_open !== 0,
      keywords: [],
      replyMode: null,
      replies: [platform.add_friend_autoreply_info],
    });
  }
  if (platform.message_default_autoreply_info?.type) {
    out.push({
      originKey: DEFAULT_KEY,
      trigger: "default",
      name: PLATFORM_NAMES.default,
      open: autoreplyOpen,
      keywords: [],
      replyMode: null,
      replies: [platform.message_default_autoreply_info],
    });
  }
  const seen = new Map<string, number>();
  for (const rule of platform.keyword_autoreply_info?.list ?? []) {
    const base = (rule.rule_name ?? "").trim() || `keyword ${out.length + 1}`;
    // The MP admin does not stop two rules sharing a name; the second keeps its own key.
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const keywords = (rule.keyword_list_info ?? [])
      .filter((k) => (k.content ?? "").trim())
      .map((k) => ({ match: k.match_mode === "equal" ? ("equal" as const) : ("contain" as const), pattern: k.content!.trim().slice(0, LIMITS.pattern) }))
      .slice(0, LIMITS.keywords);
    out.push({
      originKey: n === 1 ? keywordKey(base) : `${keywordKey(base)}#${n}`,
      trigger: "keyword",
      name: n === 1 ? base : `${base} (${n})`,
      open: autoreplyOpen,
      keywords,
      replyMode: rule.reply_mode === "random_one" ? "random_one" : "reply_all",
      replies: rule.reply_list_info ?? [],
    });
  }
  return out;
}

export type ImportAccount = { id: string; accountType: TAccountType; certified: boolean };
export type ImportOptions = { userId?: string };

export type WeChatImportSummary = {
  added: string[];
  updated: string[];
  unchanged: string[];
  /** Rules made by an earlier import whose platform rule is gone: turned off, not deleted. */
  removed: string[];
  /** Rules imported off, and why. */
  disabled: Array<{ name: string; reason: ImportDisabledReason }>;
  /** Platform rules not imported: none of their replies can be sent by mpdesk. */
  skipped: Array<{ name: string; reason: "no_replies" | "no_keywords" }>;
  /** Replies left out of a rule, by type and why (a form mpdesk cannot send, a file WeChat no longer has). */
  droppedReplies: Array<{ name: string; type: string; reason: "unsupported" | "empty" | "media_expired" }>;
  /** A passive reply carries one article: the titles of the others. */
  droppedArticles: Array<{ name: string; titles: string[] }>;
  /** Files put on WeChat as permanent material by this run (or found from an earlier one). */
  media: number;
};

type Planned = { originKey: string; rule: TRuleInput; disabledReason: ImportDisabledReason | null };

/** The reason a rule of this account cannot run as the platform ran it, or null. */
function executionProblem(account: ImportAccount, rule: Pick<TRuleInput, "replyMode" | "replies">): ImportDisabledReason | null {
  if (capabilityOf(account.accountType, account.certified, "passiveReplies").state !== "yes") return "no_passive_replies";
  if (rule.replyMode === "all" && rule.replies.length > 1 && capabilityOf(account.accountType, account.certified, "customerService").state !== "yes") {
    return "reply_all_needs_customer_service";
  }
  return null;
}

/** Converts the platform's rules (re-hosting their media) into the rules mpdesk will hold. */
async function planImport(
  db: Queryable,
  account: ImportAccount,
  platform: PlatformAutoreply,
  opts: ImportOptions,
  summary: WeChatImportSummary,
): Promise<Planned[]> {
  const planned: Planned[] = [];
  let keywordIndex = 0;
  for (const view of listPlatformRules(platform)) {
    const replies: RuleReply[] = [];
    for (const item of view.replies.slice(0, LIMITS.replies)) {
      const converted = await convertPlatformReply(db, account.id, item, opts);
      if (!converted.ok) {
        summary.droppedReplies.push({ name: view.name, type: converted.type, reason: converted.reason });
        continue;
      }
      replies.push(converted.reply);
      if (converted.media) summary.media++;
      if (converted.droppedArticles.length) summary.droppedArticles.push({ name: view.name, titles: converted.droppedArticles });
    }
    if (!replies.length) {
      summary.skipped.push({ name: view.name, reason: "no_replies" });
      continue;
    }
    if (view.trigger === "keyword" && !view.keywords.length) {
      summary.skipped.push({ name: view.name, reason: "no_keywords" });
      continue;
    }
    const rule = ZRuleInput.parse({
      name: view.name.slice(0, LIMITS.name),
      trigger: view.trigger,
      keywords: view.keywords,
      priority: view.trigger === "keyword" ? KEYWORD_PRIORITY + keywordIndex++ : 0,
      replyMode: view.replyMode === "random_one" ? "random" : view.replyMode === "reply_all" ? "all" : "one",
      // The platform answers 收到消息回复 at most once an hour per follower (only default rules cool down).
      cooldownSeconds: DEFAULT_COOLDOWN_S,
      replies,
    });
    const disabledReason = !view.open
      ? view.trigger === "welcome"
        ? "welcome_off_on_platform"
        : "autoreply_off_on_platform"
      : executionProblem(account, rule);
    planned.push({ originKey: view.originKey, rule: { ...rule, enabled: !disabledReason }, disabledReason });
  }
  return planned;
}

/** What decides "unchanged": the fields an import writes, in a stable form. */
function fingerprint(r: {
  name: string;
  trigger: string;
  enabled: boolean;
  priority: number;
  replyMode: string;
  cooldownS: number;
  disabledReason: string | null;
  keywords: Array<{ match: string; pattern: string }>;
  replies: Array<ReturnType<typeof replyToColumns>>;
}): string {
  return JSON.stringify([
    r.name,
    r.trigger,
    r.enabled,
    r.priority,
    r.replyMode,
    r.cooldownS,
    r.disabledReason,
    r.keywords.map((k) => [k.match, k.pattern]),
    r.replies.map((m) => [m.type, m.content, m.mediaId, m.title, m.description, m.url, m.picUrl, m.musicUrl, m.hqMusicUrl, m.thumbMediaId]),
  ]);
}

/** A name no other rule of the account holds, within VARCHAR(64): "name", else "name (公众平台)", "name (公众平台 2)"… */
function freeName(wanted: string, taken: (name: string) => boolean): string {
  if (!taken(wanted)) return wanted;
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? " (公众平台)" : ` (公众平台 ${n})`;
    const name = [...wanted].slice(0, LIMITS.name - suffix.length).join("") + suffix;
    if (!taken(name)) return name;
  }
}

/**
 * Saves the planned rules in one transaction: a rule whose origin_key exists is updated in place
 * (keeping its id, and so its cooldowns and sent replies), the others are created; rules written
 * in the console or imported from a file are not touched. Every instance reloads at commit.
 */
async function savePlanned(prisma: Prisma, accountId: string, planned: Planned[], summary: WeChatImportSummary): Promise<void> {
  await prisma.$transaction(
    async (tx) => {
      const rows = await tx.replyRule.findMany({
        where: { accountId },
        include: { keywords: { orderBy: { position: "asc" } }, replies: { orderBy: { position: "asc" } } },
      });
      const byKey = new Map(rows.filter((r) => r.originKey).map((r) => [r.originKey!, r]));
      const names = new Map(rows.map((r) => [r.name, r.id]));
      const wantedKeys = new Set(planned.map((p) => p.originKey));

      for (const row of rows) {
        if (row.origin !== "wechat_import" || !row.originKey || wantedKeys.has(row.originKey)) continue;
        if (row.disabledReason === "removed_on_platform") continue;
        await tx.replyRule.update({ where: { id: row.id }, data: { enabled: false, disabledReason: "removed_on_platform" } });
        summary.removed.push(row.name);
      }

      for (const p of planned) {
        const existing = byKey.get(p.originKey);
        // Someone turned the imported rule off by hand: importing again keeps it off.
        const keptOff = existing && !existing.enabled && !existing.disabledReason;
        const enabled = keptOff ? false : p.rule.enabled;
        const name = freeName(p.rule.name, (n) => names.has(n) && names.get(n) !== existing?.id);
        const fields = {
          name,
          trigger: p.rule.trigger,
          eventKey: null,
          enabled,
          // An imported rule keeps its place: the console may have reordered it, and a rule deleted
          // on the platform must not shift the others.
          priority: existing ? existing.priority : p.rule.priority,
          windowStartMin: null,
          windowEndMin: null,
          replyMode: p.rule.replyMode,
          cooldownS: p.rule.cooldownSeconds,
          origin: "wechat_import",
          originKey: p.originKey,
          disabledReason: keptOff ? null : p.disabledReason,
        };
        const keywords = p.rule.keywords.map((k, position) => ({ position, match: k.match, pattern: k.pattern }));
        const replies = p.rule.replies.map((reply, position) => ({ position, ...replyToColumns(reply) }));
        if (p.disabledReason) summary.disabled.push({ name, reason: p.disabledReason });
        const wanted = fingerprint({ ...fields, keywords, replies });
        if (existing) {
          const had = fingerprint({ ...existing, replies: existing.replies.map(replyToColumnsOfRow) });
          if (had === wanted && existing.windowStartMin === null && existing.eventKey === null) {
            summary.unchanged.push(name);
            continue;
          }
          if (existing.name !== name) names.delete(existing.name);
          await tx.replyRule.update({ where: { id: existing.id }, data: fields });
          await tx.replyKeyword.deleteMany({ where: { ruleId: existing.id } });
          await tx.replyMessage.deleteMany({ where: { ruleId: existing.id } });
          if (keywords.length) await tx.replyKeyword.createMany({ data: keywords.map((k) => ({ ruleId: existing.id, ...k })) });
          await tx.replyMessage.createMany({ data: replies.map((m) => ({ ruleId: existing.id, ...m })) });
          names.set(name, existing.id);
          summary.updated.push(name);
        } else {
          const id = randomUUID();
          await tx.replyRule.create({ data: { id, accountId, ...fields } });
          if (keywords.length) await tx.replyKeyword.createMany({ data: keywords.map((k) => ({ ruleId: id, ...k })) });
          await tx.replyMessage.createMany({ data: replies.map((m) => ({ ruleId: id, ...m })) });
          names.set(name, id);
          summary.added.push(name);
        }
      }
      if (summary.added.length || summary.updated.length || summary.removed.length) await notifyRulesChanged(tx, accountId);
    },
    { timeout: 30_000, maxWait: 5_000 },
  );
}

type ReplyRow = ReturnType<typeof replyToColumns>;
const replyToColumnsOfRow = (m: ReplyRow): ReplyRow => ({
  type: m.type,
  content: m.content,
  mediaId: m.mediaId,
  title: m.title,
  description: m.description,
  url: m.url,
  picUrl: m.picUrl,
  musicUrl: m.musicUrl,
  hqMusicUrl: m.hqMusicUrl,
  thumbMediaId: m.thumbMediaId,
});

/**
 * Imports the account's platform auto-replies. Media are re-hosted before the transaction (each
 * once: a second run finds them), so a WeChat error leaves the rules as they were.
 */
export async function importWeChatAutoreplies(
  db: { prisma: Prisma; pool: Queryable },
  account: ImportAccount,
  opts: ImportOptions & { platform?: PlatformAutoreply } = {},
): Promise<WeChatImportSummary> {
  const platform = opts.platform ?? (await fetchPlatformAutoreply(account.id));
  const summary: WeChatImportSummary = {
    added: [],
    updated: [],
    unchanged: [],
    removed: [],
    disabled: [],
    skipped: [],
    droppedReplies: [],
    droppedArticles: [],
    media: 0,
  };
  const planned = await planImport(db.pool, account, platform, opts, summary);
  await savePlanned(db.prisma, account.id, planned, summary);
  return summary;
}
