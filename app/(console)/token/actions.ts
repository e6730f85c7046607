"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { accountAdminAction, type FormState } from "@/lib/auth/server-action";
import { fmt, formatDateTime } from "@/lib/i18n";
import { log } from "@/lib/log";
import { refreshTokenNow, type TokenError } from "@/lib/tokens";

export type RefreshState = FormState<never, { error: TokenError }>;

/** "Test connection" (setup step 4) and "Refresh now" (API access page): ask WeChat for the form's account's token now. */
export const refreshTokenAction = accountAdminAction(
  { schema: z.object({ intent: z.unknown() }), invalid: (t) => t.common.error },
  async ({ user, account, data, t, locale, tz }): Promise<RefreshState> => {
    const result = await refreshTokenNow(account.id);
    log.info("token.manual_refresh", { account: account.id, by: user.id, ok: result.ok, errcode: result.ok ? undefined : result.error.errcode });
    revalidatePath("/", "layout");
    const success = data.intent === "test" ? t.token.testOk : t.token.refreshed;
    if (result.ok) return { ok: true, message: fmt(success, { time: formatDateTime(result.expiresAt, locale, tz) }) };
    return { ok: false, message: t.token.testFailed, error: result.error };
  },
);
