"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { accountPath } from "@/lib/accounts/account-path";
import { accountAdminAction, type FormState } from "@/lib/auth/server-action";
import { getPrisma } from "@/lib/db";
import { fmt, type Dictionary } from "@/lib/i18n";
import { log } from "@/lib/log";
import { deleteRule, reorderRules, saveRule, setRuleEnabled, type RuleIssue } from "@/lib/replies/save-rule";

// The rules pages' mutations, each for the account's admins only (accountAdminAction checks the
// session and the role on that account before anything is parsed). The rules themselves are
// validated in lib/replies/save-rule.ts; here an issue only gets its words.

const UUID = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);

export type RuleFormState = FormState<string>;
type R = Dictionary["rules"];

const SUB_FIELDS: Record<string, (r: R) => string> = {
  content: (r) => r.editor.content,
  mediaId: (r) => r.editor.media,
  thumbMediaId: (r) => r.editor.thumb,
  title: (r) => r.editor.title,
  description: (r) => r.editor.description,
  musicUrl: (r) => r.editor.musicUrl,
  hqMusicUrl: (r) => r.editor.hqMusicUrl,
  url: (r) => r.editor.articleUrl,
  picUrl: (r) => r.editor.picUrl,
};

/** The field a path names, as the form labels it: `replies[1].article.url` → 回复 2 · 点击后打开的链接. */
function fieldName(path: string, r: R): string {
  if (path === "name") return r.fields.name;
  if (path === "eventKey") return r.fields.eventKey;
  if (path === "window.start") return r.fields.windowStart;
  if (path === "window.end") return r.fields.windowEnd;
  if (path === "cooldownSeconds") return r.fields.cooldown;
  const keyword = /^keywords\[(\d+)\]/.exec(path);
  if (keyword) return fmt(r.fields.keyword, { n: Number(keyword[1]) + 1 });
  const reply = /^replies\[(\d+)\](?:\.article)?(?:\.(\w+))?/.exec(path);
  if (reply) {
    const head = fmt(r.fields.reply, { n: Number(reply[1]) + 1 });
    const sub = reply[2] && SUB_FIELDS[reply[2]];
    return sub ? `${head} · ${sub(r)}` : head;
  }
  return path;
}

function describeIssue(issue: RuleIssue, r: R): string {
  return fmt(r.errors[issue.reason], { field: fieldName(issue.path, r), detail: issue.detail ?? "", n: issue.detail ?? "" });
}

const rulesPath = (appId: string, search = "") => accountPath(appId, "/rules", search);

/** The editor sends the whole rule as JSON in `rule`: lists of keywords and replies do not fit flat form fields. */
export const saveRuleAction = accountAdminAction(
  {
    schema: z.object({ account: z.string(), id: z.union([UUID, z.literal("")]).default(""), rule: z.string().max(200_000) }),
    invalid: (t) => t.rules.editor.invalid,
  },
  async ({ user, account, data, t }): Promise<RuleFormState> => {
    let input: unknown;
    try {
      input = JSON.parse(data.rule);
    } catch {
      return { ok: false, message: t.rules.editor.invalid };
    }
    const saved = await saveRule(getPrisma(), account, data.id || null, input);
    if (!saved.ok) {
      if ("notFound" in saved) return { ok: false, message: t.rules.editor.notFound };
      const errors: Record<string, string> = {};
      for (const issue of saved.issues) errors[issue.path] = describeIssue(issue, t.rules);
      return { ok: false, message: t.rules.editor.invalid, errors };
    }
    log.info("rules.saved", { account: account.id, rule: saved.id, created: saved.created, by: user.id });
    revalidatePath(rulesPath(account.appId));
    redirect(rulesPath(account.appId, `?saved=${encodeURIComponent((input as { name: string }).name.trim())}`));
  },
);

export const deleteRuleAction = accountAdminAction(
  { schema: z.object({ account: z.string(), id: UUID }), invalid: (t) => t.common.error },
  async ({ user, account, data, t }): Promise<RuleFormState> => {
    if (!(await deleteRule(getPrisma(), account.id, data.id))) return { ok: false, message: t.rules.editor.notFound };
    log.info("rules.deleted", { account: account.id, rule: data.id, by: user.id });
    revalidatePath(rulesPath(account.appId));
    redirect(rulesPath(account.appId, "?deleted=1"));
  },
);

export const setRuleEnabledAction = accountAdminAction(
  { schema: z.object({ account: z.string(), id: UUID, enabled: z.enum(["true", "false"]) }), invalid: (t) => t.common.error },
  async ({ user, account, data, t }): Promise<RuleFormState> => {
    const enabled = data.enabled === "true";
    const outcome = await setRuleEnabled(getPrisma(), account, data.id, enabled);
    if (outcome === "notFound") return { ok: false, message: t.rules.editor.notFound };
    if (outcome === "needsCustomerService") return { ok: false, message: t.rules.errors.needsCustomerService };
    log.info("rules.switched", { account: account.id, rule: data.id, enabled, by: user.id });
    revalidatePath(rulesPath(account.appId));
    return { ok: true, message: enabled ? t.rules.list.on : t.rules.list.off };
  },
);

/** `order`: every rule id of the account, comma-separated, first answering first. */
export const reorderRulesAction = accountAdminAction(
  { schema: z.object({ account: z.string(), order: z.string().max(40_000) }), invalid: (t) => t.common.error },
  async ({ user, account, data, t }): Promise<RuleFormState> => {
    const ids = data.order.split(",").filter(Boolean);
    if (!ids.every((id) => UUID.safeParse(id).success)) return { ok: false, message: t.common.error };
    if (!(await reorderRules(getPrisma(), account.id, ids))) return { ok: false, message: t.rules.list.stale };
    log.info("rules.reordered", { account: account.id, rules: ids.length, by: user.id });
    revalidatePath(rulesPath(account.appId));
    return { ok: true, message: t.rules.list.moved };
  },
);
