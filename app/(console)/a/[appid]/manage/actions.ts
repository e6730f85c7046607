"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { removeAccount } from "@/lib/accounts/remove-account";
import { renameAccount, ZRenameForm } from "@/lib/accounts/rename-account";
import { accountAdminAction, adminAction, type FormState } from "@/lib/auth/server-action";
import { getPrisma } from "@/lib/db";
import { fmt } from "@/lib/i18n";
import { log } from "@/lib/log";

export type RenameState = FormState<"displayName">;

/** For the account's admins: the name beside the AppID. */
export const renameAccountAction = accountAdminAction(
  { schema: ZRenameForm, invalid: (t) => t.accounts.rename.error, fields: (t) => ({ displayName: t.accounts.rename.error }) },
  async ({ user, account, data, t }): Promise<RenameState> => {
    if (!(await renameAccount(getPrisma(), account.id, data.displayName))) return { ok: false, message: t.common.error };
    log.info("account.renamed", { account: account.id, by: user.id });
    revalidatePath("/", "layout");
    return { ok: true, message: data.displayName ? fmt(t.accounts.rename.saved, { name: data.displayName }) : t.accounts.rename.cleared };
  },
);

export type RemoveState = FormState<"confirm">;

/**
 * For mpdesk administrators only: deletes the account and all that is kept for it. The AppID,
 * typed again, is the confirmation, so a stale page or a replay cannot remove another account.
 */
export const removeAccountAction = adminAction(
  {
    schema: z.object({ account: z.string().min(1), confirm: z.preprocess((v) => (typeof v === "string" ? v.trim() : v), z.string()) }),
    invalid: (t) => t.accounts.remove.mismatch,
  },
  async ({ user, data, t }): Promise<RemoveState> => {
    if (data.confirm !== data.account) return { ok: false, message: t.accounts.remove.mismatch, errors: { confirm: t.accounts.remove.mismatch } };
    const removed = await removeAccount(getPrisma(), data.account);
    if (!removed) return { ok: false, message: t.common.error };
    log.info("account.removed", { account: removed.accountId, by: user.id, messages: removed.messages });
    revalidatePath("/", "layout");
    redirect("/");
  },
);
