import { randomUUID } from "node:crypto";
import type { Prisma } from "../db";
import type { ReplyRuleCreateManyInput } from "../generated/prisma/models";
import { replyFromColumns, replyToColumns, type ReplyColumns } from "./reply-columns";
import { RULE_SET_VERSION, windowFromInput, windowToInput, type KeywordMatch, type ReplyRule, type TRuleInput, type TRuleSetFile } from "./rule-fields";
import { sortRules } from "./compile-rules";
import { lockAccountRules, notifyRulesChanged } from "./rule-queries";

// An account's rules as one versioned document (`rules export` / `rules import`), and back.
//
// Importing makes the account's rules exactly the file's, in one transaction: rules missing from
// the file are deleted, the others are matched by name and updated in place. Keeping a rule's id
// keeps what hangs off it (its default-rule cooldowns now, its sent replies later), so re-importing
// the same file changes nothing a follower would notice.

export type RuleSetDocument = { version: typeof RULE_SET_VERSION; account: string; timeZone: string; rules: TRuleInput[] };

export async function exportRuleSet(prisma: Prisma, account: { id: string; appId: string }): Promise<RuleSetDocument> {
  const [row, domain] = await Promise.all([
    prisma.account.findUniqueOrThrow({ where: { id: account.id }, select: { timeZone: true } }),
    listAccountRules(prisma, account.id),
  ]);
  return {
    version: RULE_SET_VERSION,
    account: account.appId,
    timeZone: row.timeZone,
    rules: sortRules(domain).map((r) => ({
      name: r.name,
      trigger: r.trigger,
      keywords: r.keywords,
      eventKey: r.eventKey,
      enabled: r.enabled,
      priority: r.priority,
      window: windowToInput(r.window),
      replyMode: r.replyMode,
      cooldownSeconds: r.cooldownSeconds,
      replies: r.replies,
    })),
  };
}

/** A rule as the console shows it: the engine's fields, and where it came from. */
export type ConsoleRule = ReplyRule & { origin: string; disabledReason: string | null };

const WITH_PARTS = { keywords: { orderBy: { position: "asc" } }, replies: { orderBy: { position: "asc" } } } as const;

type RuleRow = Awaited<ReturnType<Prisma["replyRule"]["findMany"]>>[number] & {
  keywords: Array<{ match: KeywordMatch; pattern: string }>;
  replies: ReplyColumns[];
};

function ruleFromRow(r: RuleRow): ConsoleRule {
  return {
    id: r.id,
    name: r.name,
    trigger: r.trigger,
    keywords: r.keywords.map((k) => ({ match: k.match, pattern: k.pattern })),
    eventKey: r.eventKey,
    enabled: r.enabled,
    priority: r.priority,
    window: r.windowStartMin === null || r.windowEndMin === null ? null : { startMin: r.windowStartMin, endMin: r.windowEndMin },
    replyMode: r.replyMode,
    cooldownSeconds: r.cooldownS,
    replies: r.replies.map(replyFromColumns),
    origin: r.origin,
    disabledReason: r.disabledReason,
  };
}

/** Every rule of the account, enabled or not, in priority order. */
export async function listAccountRules(prisma: Prisma, accountId: string): Promise<ConsoleRule[]> {
  return sortRules((await prisma.replyRule.findMany({ where: { accountId }, include: WITH_PARTS })).map(ruleFromRow));
}

/** One rule, or null when the account has none by that id. */
export async function findAccountRule(prisma: Prisma, accountId: string, id: string): Promise<ConsoleRule | null> {
  const row = await prisma.replyRule.findFirst({ where: { accountId, id }, include: WITH_PARTS });
  return row ? ruleFromRow(row) : null;
}

/** A checked rule's own columns of reply_rule (not its name, place or origin), as every writer stores them. */
export function ruleColumns(r: TRuleInput) {
  const window = windowFromInput(r.window);
  return {
    trigger: r.trigger,
    eventKey: r.eventKey,
    enabled: r.enabled,
    windowStartMin: window?.startMin ?? null,
    windowEndMin: window?.endMin ?? null,
    replyMode: r.replyMode,
    cooldownS: r.cooldownSeconds,
  };
}

export type ImportSummary = { created: string[]; updated: string[]; deleted: string[] };

/** `file` must have passed ZRuleSetFile. Every instance reloads the account's rules at commit. */
export async function importRuleSet(prisma: Prisma, accountId: string, file: TRuleSetFile): Promise<ImportSummary> {
  return prisma.$transaction(
    async (tx) => {
      await lockAccountRules(tx, accountId);
      const existing = new Map((await tx.replyRule.findMany({ where: { accountId }, select: { id: true, name: true } })).map((r) => [r.name, r.id]));
      const wanted = new Set(file.rules.map((r) => r.name));
      const deleted = [...existing.keys()].filter((name) => !wanted.has(name));
      if (deleted.length) await tx.replyRule.deleteMany({ where: { accountId, name: { in: deleted } } });
      await tx.replyKeyword.deleteMany({ where: { rule: { accountId } } });
      await tx.replyMessage.deleteMany({ where: { rule: { accountId } } });
      const created: string[] = [];
      const updated: string[] = [];
      const keywords: Array<{ ruleId: string; position: number; match: TRuleInput["keywords"][number]["match"]; pattern: string }> = [];
      const replies: Array<ReturnType<typeof replyToColumns> & { ruleId: string; position: number }> = [];
      const fresh: ReplyRuleCreateManyInput[] = [];
      for (const r of file.rules) {
        const fields = { ...ruleColumns(r), priority: r.priority };
        let id = existing.get(r.name);
        if (id) {
          await tx.replyRule.update({ where: { id }, data: fields });
          updated.push(r.name);
        } else {
          id = randomUUID();
          fresh.push({ id, accountId, name: r.name, ...fields });
          created.push(r.name);
        }
        r.keywords.forEach((k, position) => keywords.push({ ruleId: id, position, match: k.match, pattern: k.pattern }));
        r.replies.forEach((reply, position) => replies.push({ ruleId: id, position, ...replyToColumns(reply) }));
      }
      if (fresh.length) await tx.replyRule.createMany({ data: fresh });
      if (keywords.length) await tx.replyKeyword.createMany({ data: keywords });
      if (replies.length) await tx.replyMessage.createMany({ data: replies });
      if (file.timeZone) await tx.account.update({ where: { id: accountId }, data: { timeZone: file.timeZone } });
      await notifyRulesChanged(tx, accountId);
      return { created, updated, deleted };
    },
    { timeout: 30_000, maxWait: 5_000 },
  );
}
