"use server";

import { revalidatePath } from "next/cache";
import { getConsoleAccount } from "@/lib/accounts/console-account";
import { isAppError } from "@/lib/app-error";
import { requireAdminForAction } from "@/lib/auth/require-user";
import { fmt, formatDateTime } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { log } from "@/lib/log";
import { createApiKey, refreshTokenNow, revokeApiKey, type TokenError } from "@/lib/tokens";

export type RefreshState = { ok: boolean; message: string; error?: TokenError } | null;

/** "Test connection" (setup step 4) and "Refresh now" (API access page): ask WeChat for a token now. */
export async function refreshTokenAction(_prev: RefreshState, formData: FormData): Promise<RefreshState> {
  const { t, locale, tz } = await getI18n();
  const admin = await requireAdminForAction();
  if (!admin) return { ok: false, message: t.common.forbidden };
  const { account } = await getConsoleAccount();
  if (!account) return { ok: false, message: t.token.noAccount };
  const result = await refreshTokenNow(account.id);
  log.info("token.manual_refresh", { account: account.id, by: admin.id, ok: result.ok, errcode: result.ok ? undefined : result.error.errcode });
  revalidatePath("/", "layout");
  const success = formData.get("intent") === "test" ? t.token.testOk : t.token.refreshed;
  if (result.ok) return { ok: true, message: fmt(success, { time: formatDateTime(result.expiresAt, locale, tz) }) };
  return { ok: false, message: t.token.testFailed, error: result.error };
}

export type KeyState = { ok: boolean; message: string; key?: string } | null;

export async function createKeyAction(_prev: KeyState, formData: FormData): Promise<KeyState> {
  const { t } = await getI18n();
  const admin = await requireAdminForAction();
  if (!admin) return { ok: false, message: t.common.forbidden };
  try {
    const created = await createApiKey(String(formData.get("name") ?? ""));
    log.info("api_key.created", { by: admin.id, key: created.id });
    revalidatePath("/token");
    return { ok: true, message: fmt(t.token.keyCreated, { name: created.name }), key: created.key };
  } catch (err) {
    if (isAppError(err, "INVALID_INPUT")) return { ok: false, message: t.token.keyNameError };
    throw err;
  }
}

export async function revokeKeyAction(_prev: KeyState, formData: FormData): Promise<KeyState> {
  const { t } = await getI18n();
  const admin = await requireAdminForAction();
  if (!admin) return { ok: false, message: t.common.forbidden };
  const id = String(formData.get("id") ?? "");
  const name = String(formData.get("name") ?? "");
  const revoked = await revokeApiKey(id);
  log.info("api_key.revoked", { by: admin.id, key: id, revoked });
  revalidatePath("/token");
  return revoked ? { ok: true, message: fmt(t.token.revoked, { name }) } : { ok: false, message: t.common.error };
}
