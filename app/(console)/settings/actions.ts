"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getAccountSecret } from "@/lib/accounts/console-account";
import { saveAccountKind, saveAccountSettings, ZAccountKindForm, ZCredentialsForm } from "@/lib/accounts/save-account-settings";
import { requireAdminForAction } from "@/lib/auth/require-user";
import { getPrisma } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { getI18n } from "@/lib/i18n/server";
import { log } from "@/lib/log";
import { generateEncodingAesKey, generateToken } from "@/lib/wechat/crypto";

export type CredentialField = "appId" | "appSecret" | "token" | "encodingAesKey" | "messageMode";
export type CredentialsState = { ok: boolean; message: string; errors?: Partial<Record<CredentialField, string>>; rotated?: boolean; created?: boolean } | null;

export async function saveCredentials(_prev: CredentialsState, formData: FormData): Promise<CredentialsState> {
  const { t } = await getI18n();
  const user = await requireAdminForAction();
  if (!user) return { ok: false, message: t.common.forbidden };
  const e = t.setup.credentials.errors;
  const parsed = ZCredentialsForm.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const errors: Partial<Record<CredentialField, string>> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0]) as CredentialField;
      if (field in e && !errors[field]) errors[field] = e[field as keyof typeof e];
    }
    return { ok: false, message: e.form, errors };
  }
  const result = await saveAccountSettings(getPrisma(), parsed.data, getEnv().encryptionKey);
  if (!result.ok) {
    if (result.field === "appId") return { ok: false, message: e.form, errors: { appId: e.appIdTaken } };
    if (result.field === "encodingAesKey") return { ok: false, message: e.form, errors: { encodingAesKey: e.encodingAesKeyRequired } };
    return { ok: false, message: t.common.error };
  }
  log.info("account.saved", { account: result.accountId, by: user.id, created: result.created, rotated: result.rotated });
  revalidatePath("/", "layout");
  return { ok: true, message: t.setup.credentials.saved, rotated: result.rotated, created: result.created };
}

export type KindState = { ok: boolean; message: string } | null;

export async function saveKind(_prev: KindState, formData: FormData): Promise<KindState> {
  const { t } = await getI18n();
  const user = await requireAdminForAction();
  if (!user) return { ok: false, message: t.common.forbidden };
  const parsed = ZAccountKindForm.safeParse(Object.fromEntries(formData));
  if (!parsed.success || !(await saveAccountKind(getPrisma(), parsed.data))) return { ok: false, message: t.common.error };
  revalidatePath("/", "layout");
  return { ok: true, message: t.setup.account.saved };
}

/** Fresh values for the Generate buttons, from the same generators the tests trust. */
export async function generateCredential(kind: "token" | "encodingAesKey"): Promise<string | null> {
  if (!(await requireAdminForAction())) return null;
  return kind === "token" ? generateToken(32) : generateEncodingAesKey();
}

const ZRevealSecret = z.object({ accountId: z.uuid(), field: z.enum(["token", "encodingAesKey"]) });

/**
 * The full Token or EncodingAESKey, for an admin who clicked Show or Copy (the same values must
 * be pasted into the MP admin). Viewers get null: the pages send them only the masks.
 */
export async function revealAccountSecret(accountId: string, field: "token" | "encodingAesKey"): Promise<string | null> {
  const user = await requireAdminForAction();
  const parsed = ZRevealSecret.safeParse({ accountId, field });
  if (!user || !parsed.success) return null;
  const value = await getAccountSecret(parsed.data.accountId, parsed.data.field);
  log.info("account.secret_shown", { account: parsed.data.accountId, field: parsed.data.field, by: user.id });
  return value;
}
