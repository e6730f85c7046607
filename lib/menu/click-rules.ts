import type { Prisma } from "../db";
import { replyFromColumns } from "../replies/reply-columns";
import { lockAccountRules, notifyRulesChanged } from "../replies/rule-queries";
import type { RuleReply } from "../replies/rule-fields";

// The menu's click buttons are answered by the account's reply rules (trigger click, by
// EventKey): the editor shows which rule answers each key, and can create one for a new key.

export type ClickRule = { id: string; name: string; eventKey: string; enabled: boolean; replies: RuleReply[] };

export async function listClickRules(prisma: Prisma, accountId: string): Promise<ClickRule[]> {
  const rules = await prisma.replyRule.findMany({
    where: { accountId, trigger: "click", eventKey: { not: null } },
    include: { replies: { orderBy: { position: "asc" } } },
    orderBy: [{ priority: "asc" }, { name: "asc" }],
  });
  return rules.map((r) => ({ id: r.id, name: r.name, eventKey: r.eventKey!, enabled: r.enabled, replies: r.replies.map(replyFromColumns) }));
}

/** One line saying what a rule answers, for the editor. */
export function summarizeReply(r: RuleReply | undefined): string {
  if (!r) return "";
  switch (r.type) {
    case "text":
      return r.content.length > 60 ? `${r.content.slice(0, 60)}…` : r.content;
    case "news":
      return `[news] ${r.article.title}`;
    default:
      return `[${r.type}]`;
  }
}

export type CreatedClickRule = { ok: true; rule: ClickRule } | { ok: false; reason: "name_taken" | "key_taken" };

/**
 * A click rule answering `eventKey` with one text; named after the button. Every instance loads
 * it at commit. A key another click rule already answers is refused: the first would shadow it.
 */
export async function createClickRule(prisma: Prisma, accountId: string, input: { eventKey: string; name: string; text: string }): Promise<CreatedClickRule> {
  return prisma.$transaction(async (tx) => {
    await lockAccountRules(tx, accountId);
    if (await tx.replyRule.findFirst({ where: { accountId, trigger: "click", eventKey: input.eventKey }, select: { id: true } }))
      return { ok: false, reason: "key_taken" };
    if (await tx.replyRule.findFirst({ where: { accountId, name: input.name }, select: { id: true } })) return { ok: false, reason: "name_taken" };
    const rule = await tx.replyRule.create({
      data: {
        accountId,
        name: input.name,
        trigger: "click",
        eventKey: input.eventKey,
        replies: { create: [{ position: 0, type: "text", content: input.text }] },
      },
    });
    await notifyRulesChanged(tx, accountId);
    return {
      ok: true,
      rule: { id: rule.id, name: rule.name, eventKey: input.eventKey, enabled: rule.enabled, replies: [{ type: "text", content: input.text }] },
    };
  });
}
