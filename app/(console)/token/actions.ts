"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { isAppError } from "@/lib/app-error";
import { accountAdminAction, adminAction, type FormState } from "@/lib/auth/server-action";
import { fmt, formatDateTime } from "@/lib/i18n";
import { log } from "@/lib/log";
import { createApiKey, refreshTokenNow, revokeApiKey, type TokenError } from "@/lib/tokens";

export type RefreshState = FormState<never, { error: TokenError }>;

const text = z.preprocess((v) => v ?? "", z.string());

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

export type KeyState = FormState<"name", { key: string }>;

// The key's name is checked by createApiKey itself, the rule the CLI shares.
export const createKeyAction = adminAction(
  { schema: z.object({ name: text }), invalid: (t) => t.token.keyNameError },
  async ({ user, data, t }): Promise<KeyState> => {
    try {
      const created = await createApiKey(data.name);
      log.info("api_key.created", { by: user.id, key: created.id });
      revalidatePath("/token");
      return { ok: true, message: fmt(t.token.keyCreated, { name: created.name }), key: created.key };
    } catch (err) {
      if (isAppError(err, "INVALID_INPUT")) return { ok: false, message: t.setup.credentials.errors.form, errors: { name: t.token.keyNameError } };
      throw err;
    }
  },
);

export const revokeKeyAction = adminAction(
  { schema: z.object({ id: text, name: text }), invalid: (t) => t.common.error },
  async ({ user, data, t }): Promise<KeyState> => {
    const revoked = await revokeApiKey(data.id);
    log.info("api_key.revoked", { by: user.id, key: data.id, revoked });
    revalidatePath("/token");
    return revoked ? { ok: true, message: fmt(t.token.revoked, { name: data.name }) } : { ok: false, message: t.common.error };
  },
);
