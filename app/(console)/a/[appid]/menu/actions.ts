"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { accountPath } from "@/lib/accounts/account-path";
import { capabilityOf } from "@/lib/accounts/capabilities";
import type { ConsoleAccount } from "@/lib/accounts/console-account";
import { isAppError } from "@/lib/app-error";
import { accountAdminCall } from "@/lib/auth/server-action";
import { getPool, getPrisma } from "@/lib/db";
import { fmt, type Dictionary } from "@/lib/i18n";
import { log } from "@/lib/log";
import { createClickRule, summarizeReply } from "@/lib/menu/click-rules";
import { saveMenuDraft } from "@/lib/menu/menu-queries";
import { publishMenu, rollbackMenu, type PublishOutcome } from "@/lib/menu/publish-menu";
import { LIMITS } from "@/lib/replies/rule-fields";

// The menu editor's mutations, each checked on the server: the session, the account's admin role
// (accountAdminCall: a viewer, or a replayed request of someone who is not an admin, gets null),
// the capability, and the menu itself by the same validator the editor runs while typing.

export type MenuActionResult = { ok: boolean; message: string; problems?: Array<{ path: string; code: string }> };

// A menu as the editor holds it: buttons of any shape, checked by validateMenu, not here.
const ZMenu = z.object({ button: z.array(z.record(z.string(), z.unknown())).max(10) }).passthrough();

const cannotPublish = (account: ConsoleAccount) => capabilityOf(account.accountType, account.certified, "customMenu").state === "no";

function publishAnswer(outcome: PublishOutcome, t: Dictionary, success: (n: number) => string): MenuActionResult {
  if (!outcome.ok)
    return {
      ok: false,
      message: fmt(t.customMenu.problemCount, { n: outcome.problems.length }),
      problems: outcome.problems.map((p) => ({ path: p.path, code: p.code })),
    };
  return { ok: true, message: success(outcome.version.number) };
}

function wechatRefusal(err: unknown, t: Dictionary): MenuActionResult {
  if (isAppError(err, "WECHAT_API")) {
    if (err.details.errcode === 48001) return { ok: false, message: t.customMenu.noMenuApi };
    return { ok: false, message: fmt(t.customMenu.refused, { errcode: err.details.errcode, errmsg: err.details.errmsg }) };
  }
  log.warn("menu.publish.failed", { error: (err as Error).message });
  return { ok: false, message: t.common.error };
}

export const saveMenuDraftAction = accountAdminCall(z.tuple([ZMenu]), async ({ account, user, data: [menu], t }): Promise<MenuActionResult> => {
  await saveMenuDraft(getPool(), account.id, menu, user.id);
  revalidatePath(accountPath(account.appId, "/menu"));
  return { ok: true, message: t.customMenu.draftSaved };
});

/** Saves the menu as the draft, then publishes it. */
export const publishMenuAction = accountAdminCall(z.tuple([ZMenu]), async ({ account, user, data: [menu], t }): Promise<MenuActionResult> => {
  if (cannotPublish(account)) return { ok: false, message: t.customMenu.noMenuApi };
  await saveMenuDraft(getPool(), account.id, menu, user.id);
  try {
    const outcome = await publishMenu(getPool(), account.id, menu, { via: "console", userId: user.id });
    if (outcome.ok) log.info("menu.published", { account: account.id, by: user.id, version: outcome.version.number });
    revalidatePath(accountPath(account.appId, "/menu"));
    return publishAnswer(outcome, t, (n) => fmt(t.customMenu.published, { n }));
  } catch (err) {
    return wechatRefusal(err, t);
  }
});

export const rollbackMenuAction = accountAdminCall(
  z.tuple([z.number().int().positive()]),
  async ({ account, user, data: [number], t }): Promise<MenuActionResult> => {
    if (cannotPublish(account)) return { ok: false, message: t.customMenu.noMenuApi };
    try {
      const outcome = await rollbackMenu(getPool(), account.id, number, { via: "console", userId: user.id });
      // The editor goes on from what WeChat now shows, not from the draft that was rolled back.
      if (outcome.ok) await saveMenuDraft(getPool(), account.id, outcome.version.body, user.id);
      if (outcome.ok) log.info("menu.rolled_back", { account: account.id, by: user.id, from: number, version: outcome.version.number });
      revalidatePath(accountPath(account.appId, "/menu"));
      return publishAnswer(outcome, t, (n) => fmt(t.customMenu.rolledBack, { from: number, n }));
    } catch (err) {
      if (isAppError(err, "NOT_FOUND")) return { ok: false, message: t.common.notFound };
      return wechatRefusal(err, t);
    }
  },
);

export type CreatedRuleResult = MenuActionResult & { rule?: { name: string; eventKey: string; summary: string } };

/** A click rule answering the button's key with a text. */
export const createClickRuleAction = accountAdminCall(
  z.tuple([z.string().trim().min(1).max(LIMITS.eventKey), z.string().trim().max(40), z.string().trim().min(1).max(LIMITS.text)]),
  async ({ account, user, data: [eventKey, buttonName, text], t }): Promise<CreatedRuleResult> => {
    const name = `${t.customMenu.nav}: ${buttonName || eventKey}`.slice(0, LIMITS.name);
    const created = await createClickRule(getPrisma(), account.id, { eventKey, name, text });
    if (!created.ok) return { ok: false, message: t.common.error };
    log.info("menu.click_rule.created", { account: account.id, by: user.id, rule: created.rule.id });
    revalidatePath(accountPath(account.appId, "/menu"));
    return {
      ok: true,
      message: fmt(t.customMenu.reply.created, { name: created.rule.name }),
      rule: { name: created.rule.name, eventKey, summary: summarizeReply(created.rule.replies[0]) },
    };
  },
);
