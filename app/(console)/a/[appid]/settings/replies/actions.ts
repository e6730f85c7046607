"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { accountPath } from "@/lib/accounts/account-path";
import { accountAdminAction, type FormState } from "@/lib/auth/server-action";
import { getPool, getPrisma } from "@/lib/db";
import { fmt } from "@/lib/i18n";
import { log } from "@/lib/log";
import { importWeChatAutoreplies, type WeChatImportSummary } from "@/lib/replies/import-wechat";
import { describeImportFailure } from "@/lib/replies/import-wechat-errors";

export type ImportState = FormState<never, { summary: WeChatImportSummary; fix: string }>;

/** For the account's admins: one click imports (or imports again) what the MP admin's 自动回复 holds. */
export const importAutorepliesAction = accountAdminAction(
  { schema: z.object({ account: z.string().min(1) }), invalid: (t) => t.common.error },
  async ({ user, account, t }): Promise<ImportState> => {
    try {
      const summary = await importWeChatAutoreplies(
        { prisma: getPrisma(), pool: getPool() },
        { id: account.id, accountType: account.accountType, certified: account.certified },
        { userId: user.id },
      );
      log.info("replies.wechat_imported", {
        account: account.id,
        by: user.id,
        added: summary.added.length,
        updated: summary.updated.length,
        unchanged: summary.unchanged.length,
        removed: summary.removed.length,
      });
      revalidatePath(accountPath(account.appId, "/settings/replies"));
      const r = t.replyImport;
      return {
        ok: true,
        message: fmt(r.imported, { added: summary.added.length, updated: summary.updated.length, unchanged: summary.unchanged.length }),
        summary,
      };
    } catch (err) {
      const failure = describeImportFailure(err, t);
      if (!failure) throw err;
      log.warn("replies.wechat_import_failed", { account: account.id, error: (err as Error).message });
      return { ok: false, message: failure.what, fix: failure.fix };
    }
  },
);
