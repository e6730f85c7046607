"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { accountPath } from "@/lib/accounts/account-path";
import { capabilityOf } from "@/lib/accounts/capabilities";
import type { ConsoleAccount } from "@/lib/accounts/console-account";
import { isAppError } from "@/lib/app-error";
import { accountAdminCall, accountMemberCall } from "@/lib/auth/server-action";
import { getPool } from "@/lib/db";
import { fmt, type Dictionary } from "@/lib/i18n";
import { log } from "@/lib/log";
import { addConditionalMenu, deleteConditionalMenu, tryMatchMenu } from "@/lib/menu/conditional-menus";
import { reorderConditionalMenus, type HeldMenus } from "@/lib/menu/reorder-conditional";
import { menuFromWeChat } from "@/lib/menu/wechat-menu";
import type { MenuDocument } from "@/lib/menu/validate-menu";

// Conditional menus: add, remove and re-order are the account's admins' (accountAdminCall: a
// viewer, or a replayed request of someone who is not an admin, gets null), and only for an
// account with the menu API. "Which menu does this follower see?" changes nothing: any member.

export type ConditionalResult = {
  ok: boolean;
  message: string;
  problems?: Array<{ path: string; code: string }>;
  /** What WeChat holds after the action, when it was read again. */
  held?: HeldMenus;
};
export type TryMatchResult = { ok: boolean; message: string; menu?: MenuDocument };

const ZMenu = z.object({ button: z.array(z.record(z.string(), z.unknown())).max(10) }).passthrough();
const ZMenuId = z.string().regex(/^\d{1,20}$/);
const noMenuApi = (account: ConsoleAccount) => capabilityOf(account.accountType, account.certified, "customMenu").state === "no";

function refusal(err: unknown, t: Dictionary): ConditionalResult {
  if (isAppError(err, "WECHAT_API")) {
    const { errcode, errmsg } = err.details;
    if (errcode === 48001) return { ok: false, message: t.customMenu.noMenuApi };
    if (errcode === 65303) return { ok: false, message: t.customMenu.conditional.needsDefault };
    if (errcode === 65320) return { ok: false, message: t.customMenu.conditional.onlyTag };
    if (errcode === 65305) return { ok: false, message: t.customMenu.conditional.tooMany };
    if (errcode === 65306) return { ok: false, message: t.customMenu.conditional.notSupported };
    return { ok: false, message: fmt(t.customMenu.conditional.failed, { errcode, errmsg }) };
  }
  if (isAppError(err, "INVALID_INPUT")) return { ok: false, message: t.customMenu.conditional.onlyTag };
  log.warn("menu.conditional.failed", { error: (err as Error).message });
  return { ok: false, message: t.common.error };
}

/** Adds the editor's menu for a tag; `rule` is the matchrule, refused unless it is a tag's. */
export const addConditionalMenuAction = accountAdminCall(
  z.tuple([ZMenu, z.record(z.string(), z.unknown()), z.string().max(64)]),
  async ({ account, user, data: [menu, rule, tagName], t }): Promise<ConditionalResult> => {
    if (noMenuApi(account)) return { ok: false, message: t.customMenu.noMenuApi };
    try {
      const added = await addConditionalMenu(getPool(), account.id, menu as MenuDocument, rule, user.id);
      if (!added.ok)
        return {
          ok: false,
          message: fmt(t.customMenu.conditional.invalid, { n: added.problems.length }),
          problems: added.problems.map((p) => ({ path: p.path, code: p.code })),
        };
      log.info("menu.conditional.added", { account: account.id, by: user.id, menuId: added.menuId });
      revalidatePath(accountPath(account.appId, "/menu"));
      return { ok: true, message: fmt(t.customMenu.conditional.added, { tag: tagName || String(rule.tag_id), id: added.menuId }) };
    } catch (err) {
      return refusal(err, t);
    }
  },
);

export const removeConditionalMenuAction = accountAdminCall(z.tuple([ZMenuId]), async ({ account, user, data: [menuId], t }): Promise<ConditionalResult> => {
  if (noMenuApi(account)) return { ok: false, message: t.customMenu.noMenuApi };
  try {
    await deleteConditionalMenu(getPool(), account.id, menuId);
    log.info("menu.conditional.removed", { account: account.id, by: user.id, menuId });
    revalidatePath(accountPath(account.appId, "/menu"));
    return { ok: true, message: fmt(t.customMenu.conditional.removed, { id: menuId }) };
  } catch (err) {
    return refusal(err, t);
  }
});

/** `order`: every menuid WeChat holds, first matched first; `tags` names them for the message. */
export const reorderConditionalMenusAction = accountAdminCall(
  z.tuple([z.array(ZMenuId).min(1).max(100), z.record(z.string(), z.string().max(64))]),
  async ({ account, user, data: [order, tags], t }): Promise<ConditionalResult> => {
    if (noMenuApi(account)) return { ok: false, message: t.customMenu.noMenuApi };
    const c = t.customMenu.conditional;
    try {
      const out = await reorderConditionalMenus(getPool(), account.id, order, user.id);
      revalidatePath(accountPath(account.appId, "/menu"));
      if (!out) return { ok: false, message: c.reorderStale };
      if (out.ok) {
        log.info("menu.conditional.reordered", { account: account.id, by: user.id });
        return { ok: true, message: c.reordered, held: out.held };
      }
      const f = out.failure;
      log.warn("menu.conditional.reorder_failed", { account: account.id, by: user.id, step: f.step, menuId: f.menuId, errcode: f.errcode });
      return {
        ok: false,
        message: fmt(f.step === "add" ? c.reorderFailedAdd : c.reorderFailedDelete, {
          tag: tags[f.menuId] ?? f.menuId,
          errcode: f.errcode ?? "",
          errmsg: f.errmsg,
          copied: f.copied.length,
        }),
        held: out.held,
      };
    } catch (err) {
      return refusal(err, t);
    }
  },
);

/** menu/trymatch for an OpenID: reads only, so any member of the account may ask. */
export const tryMatchMenuAction = accountMemberCall(
  z.tuple([z.string().trim().min(1).max(64)]),
  async ({ account, data: [openId], t }): Promise<TryMatchResult> => {
    try {
      return { ok: true, message: "", menu: menuFromWeChat((await tryMatchMenu(account.id, openId)).button) };
    } catch (err) {
      if (isAppError(err, "WECHAT_API") && err.details.errcode === 65302) return { ok: false, message: t.customMenu.conditional.noUser };
      return refusal(err, t);
    }
  },
);
