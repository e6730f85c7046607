import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { capabilityOf } from "../accounts/capabilities";
import type { TAccountType } from "../accounts/account-fields";
import type { Prisma } from "../db";
import { replyToColumns } from "./reply-columns";
import { formatIssuePath, ZRuleInput, type TRuleInput } from "./rule-fields";
import { lockAccountRules, notifyRulesChanged } from "./rule-queries";
import { ruleColumns } from "./rule-set-io";

// The console's writes to one rule: create or update it, switch it on or off, move it, delete it.
// Each is one transaction that ends with the NOTIFY rule-set-io.ts sends, so every instance
// reloads the account's rules at commit. Validation is ZRuleInput's (the file format's), plus what
// only the account can say: reply-all needs the customer-service API.

/** Why a field is refused, for the form to say in the reader's language; `detail` is RE2's or zod's own words. */
export type RuleIssueReason =
  "required" | "tooLong" | "regex" | "keywordNeeded" | "eventKeyNeeded" | "url" | "clock" | "windowSame" | "needsCustomerService" | "nameTaken" | "invalid";
export type RuleIssue = { path: string; reason: RuleIssueReason; detail?: string };

export type RuleAccount = { id: string; accountType: TAccountType; certified: boolean };

/** Reply mode "all" sends the replies after the first through message/custom/send. */
export function canReplyAll(account: Pick<RuleAccount, "accountType" | "certified">): boolean {
  return capabilityOf(account.accountType, account.certified, "customerService").state === "yes";
}

function reasonOf(issue: z.core.$ZodIssue): Pick<RuleIssue, "reason" | "detail"> {
  const path = issue.path;
  const last = path[path.length - 1];
  if (issue.code === "custom") {
    if (last === "pattern" && issue.message.startsWith("not a valid RE2 regex: ")) return { reason: "regex", detail: issue.message.slice(23) };
    if (path.length === 1 && last === "keywords")
      return { reason: issue.message.startsWith("a keyword rule") ? "keywordNeeded" : "invalid", detail: issue.message };
    if (path.length === 1 && last === "eventKey") return { reason: issue.message.startsWith("the ") ? "eventKeyNeeded" : "invalid", detail: issue.message };
    if (path[0] === "window" && (last === "start" || last === "end")) return { reason: "clock" };
    if (path.length === 1 && last === "window") return { reason: "windowSame" };
    return { reason: "invalid", detail: issue.message };
  }
  if (issue.code === "too_small" && issue.origin === "string") return { reason: "required" };
  if (issue.code === "too_big" && issue.origin === "string") return { reason: "tooLong", detail: String(issue.maximum) };
  if (issue.code === "invalid_format" && issue.format === "url") return { reason: "url" };
  return { reason: "invalid", detail: issue.message };
}

export type RuleValidation = { ok: true; rule: TRuleInput } | { ok: false; issues: RuleIssue[] };

/** The rule as the form sent it, checked; every issue names its field (`keywords[1].pattern`). */
export function validateRule(input: unknown, account: Pick<RuleAccount, "accountType" | "certified">): RuleValidation {
  const parsed = ZRuleInput.safeParse(input);
  if (!parsed.success) {
    const seen = new Set<string>();
    const issues: RuleIssue[] = [];
    for (const issue of parsed.error.issues) {
      const path = formatIssuePath(issue.path);
      if (seen.has(path)) continue;
      seen.add(path);
      issues.push({ path, ...reasonOf(issue) });
    }
    return { ok: false, issues };
  }
  const rule = parsed.data;
  if (rule.replyMode === "all" && !canReplyAll(account)) return { ok: false, issues: [{ path: "replyMode", reason: "needsCustomerService" }] };
  return { ok: true, rule };
}

export type SaveRuleResult = { ok: true; id: string; created: boolean } | { ok: false; issues: RuleIssue[] } | { ok: false; notFound: true };

const isUniqueViolation = (err: unknown) => (err as { code?: unknown })?.code === "P2002";

/**
 * Creates the rule (`id` null; it goes last in the order) or replaces an existing one's fields,
 * keywords and replies; its place in the order, origin and id stay. Saving a rule switched on
 * clears the reason an import had for leaving it off.
 */
export async function saveRule(prisma: Prisma, account: RuleAccount, id: string | null, input: unknown): Promise<SaveRuleResult> {
  const checked = validateRule(input, account);
  if (!checked.ok) return checked;
  const r = checked.rule;
  const fields = { name: r.name, ...ruleColumns(r), ...(r.enabled ? { disabledReason: null } : {}) };
  try {
    return await prisma.$transaction(async (tx) => {
      await lockAccountRules(tx, account.id);
      let ruleId = id;
      if (ruleId) {
        const changed = await tx.replyRule.updateMany({ where: { id: ruleId, accountId: account.id }, data: fields });
        if (!changed.count) return { ok: false, notFound: true } as const;
        await tx.replyKeyword.deleteMany({ where: { ruleId } });
        await tx.replyMessage.deleteMany({ where: { ruleId } });
      } else {
        const last = await tx.replyRule.aggregate({ where: { accountId: account.id }, _max: { priority: true } });
        ruleId = randomUUID();
        await tx.replyRule.create({ data: { id: ruleId, accountId: account.id, origin: "console", priority: (last._max.priority ?? -10) + 10, ...fields } });
      }
      const rid = ruleId;
      if (r.keywords.length)
        await tx.replyKeyword.createMany({ data: r.keywords.map((k, position) => ({ ruleId: rid, position, match: k.match, pattern: k.pattern })) });
      await tx.replyMessage.createMany({ data: r.replies.map((reply, position) => ({ ruleId: rid, position, ...replyToColumns(reply) })) });
      await notifyRulesChanged(tx, account.id);
      return { ok: true, id: rid, created: !id } as const;
    });
  } catch (err) {
    if (isUniqueViolation(err)) return { ok: false, issues: [{ path: "name", reason: "nameTaken" }] };
    throw err;
  }
}

/** False when the account has no rule by that id. */
export async function deleteRule(prisma: Prisma, accountId: string, id: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    await lockAccountRules(tx, accountId);
    const gone = await tx.replyRule.deleteMany({ where: { id, accountId } });
    if (gone.count) await notifyRulesChanged(tx, accountId);
    return gone.count > 0;
  });
}

/** Switching a reply-all rule on needs the customer-service API, as saving it does. */
export async function setRuleEnabled(prisma: Prisma, account: RuleAccount, id: string, enabled: boolean): Promise<"ok" | "notFound" | "needsCustomerService"> {
  return prisma.$transaction(async (tx) => {
    await lockAccountRules(tx, account.id);
    const rule = await tx.replyRule.findFirst({ where: { id, accountId: account.id }, select: { replyMode: true } });
    if (!rule) return "notFound";
    if (enabled && rule.replyMode === "all" && !canReplyAll(account)) return "needsCustomerService";
    await tx.replyRule.update({ where: { id }, data: { enabled, ...(enabled ? { disabledReason: null } : {}) } });
    await notifyRulesChanged(tx, account.id);
    return "ok";
  });
}

/**
 * The account's rules in this order, first answering first. `ids` must name every rule of the
 * account once: a list from a page that is out of date is refused rather than half applied.
 */
export async function reorderRules(prisma: Prisma, accountId: string, ids: string[]): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    await lockAccountRules(tx, accountId);
    const existing = await tx.replyRule.findMany({ where: { accountId }, select: { id: true } });
    const known = new Set(existing.map((r) => r.id));
    if (ids.length !== known.size || new Set(ids).size !== ids.length || !ids.every((id) => known.has(id))) return false;
    for (const [i, id] of ids.entries()) await tx.replyRule.update({ where: { id }, data: { priority: i * 10 } });
    await notifyRulesChanged(tx, accountId);
    return true;
  });
}
