"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { accountPath } from "@/lib/accounts/account-path";
import { isAppError } from "@/lib/app-error";
import { accountAdminAction, type FormState } from "@/lib/auth/server-action";
import { getPool, getPrisma } from "@/lib/db";
import { fmt } from "@/lib/i18n";
import { log } from "@/lib/log";
import { importWeChatMenu, type ConvertedButton } from "@/lib/menu/import-wechat-menu";

export type MenuImportState = FormState<never, { converted: ConvertedButton[] }>;

/** For the account's admins: imports what followers see now as the menu draft, with reply rules for converted buttons. */
export const importMenuAction = accountAdminAction(
  { schema: z.object({ account: z.string().min(1) }), invalid: (t) => t.common.error },
  async ({ user, account, t }): Promise<MenuImportState> => {
    const k = t.customMenu.takeover;
    try {
      const s = await importWeChatMenu(getPool(), getPrisma(), account.id, { userId: user.id });
      log.info("menu.wechat_imported", { account: account.id, by: user.id, buttons: s.menu.button.length, converted: s.converted.length });
      revalidatePath(accountPath(account.appId, "/settings/menu"));
      revalidatePath(accountPath(account.appId, "/menu"));
      if (!s.menuOpen || !s.menu.button.length) return { ok: true, message: k.empty, converted: [] };
      return { ok: true, message: fmt(k.imported, { buttons: s.menu.button.length, converted: s.converted.length }), converted: s.converted };
    } catch (err) {
      if (!isAppError(err, "WECHAT_API")) throw err;
      log.warn("menu.wechat_import_failed", { account: account.id, errcode: err.details.errcode });
      return { ok: false, message: fmt(k.failed, { errcode: err.details.errcode, errmsg: err.details.errmsg }) };
    }
  },
);
