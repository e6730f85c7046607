"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { accountPath } from "@/lib/accounts/account-path";
import { getAccountSecret } from "@/lib/accounts/console-account";
import { saveAccountKind, saveAccountSettings, ZAccountKindForm, ZCredentialsForm } from "@/lib/accounts/save-account-settings";
import { accountAdminAction, accountAdminCall, adminAction, adminCall, type FormSpec, type FormState } from "@/lib/auth/server-action";
import { getPrisma } from "@/lib/db";
import { getEnv } from "@/lib/env";
import type { Dictionary } from "@/lib/i18n";
import { log } from "@/lib/log";
import { generateEncodingAesKey, generateToken } from "@/lib/wechat/crypto";

// The setup steps' actions, shared by an account's settings pages (/a/<AppID>/settings, for that
// account's admins) and the steps that add an account (/accounts/new, for mpdesk administrators).

export type CredentialField = "appId" | "appSecret" | "token" | "encodingAesKey" | "messageMode" | "displayName";
export type CredentialsState = FormState<CredentialField, { rotated: boolean; created: boolean }>;

const credentialsSpec: FormSpec<typeof ZCredentialsForm, CredentialField> = {
  schema: ZCredentialsForm,
  invalid: (t) => t.setup.credentials.errors.form,
  fields: (t) => {
    const e = t.setup.credentials.errors;
    return { appId: e.appId, appSecret: e.appSecret, token: e.token, encodingAesKey: e.encodingAesKey, displayName: t.accounts.rename.error };
  },
};

function refusal(t: Dictionary, result: Exclude<Awaited<ReturnType<typeof saveAccountSettings>>, { ok: true }>): CredentialsState {
  const e = t.setup.credentials.errors;
  if (result.field === "appId") return { ok: false, message: e.form, errors: { appId: e.appIdTaken } };
  if (result.field === "encodingAesKey") return { ok: false, message: e.form, errors: { encodingAesKey: e.encodingAesKeyRequired } };
  return { ok: false, message: t.common.error };
}

/** Step 2 on an existing account: the account is the page's, whatever `accountId` the form holds. */
export const saveCredentials = accountAdminAction(credentialsSpec, async ({ user, account, data, t }): Promise<CredentialsState> => {
  const result = await saveAccountSettings(getPrisma(), { ...data, accountId: account.id, displayName: undefined }, getEnv().encryptionKey);
  if (!result.ok) return refusal(t, result);
  log.info("account.saved", { account: result.accountId, by: user.id, created: false, rotated: result.rotated });
  revalidatePath("/", "layout");
  // A new AppID moves the account's pages: continue on the new URL.
  if (result.appId !== account.appId) redirect(accountPath(result.appId, "/settings/credentials"));
  return { ok: true, message: t.setup.credentials.saved, rotated: result.rotated, created: false };
});

/** Step 2 of "Add account": creates the account, then the remaining steps are on its own pages. */
export const createAccountAction = adminAction(credentialsSpec, async ({ user, data, t }): Promise<CredentialsState> => {
  const result = await saveAccountSettings(getPrisma(), { ...data, accountId: undefined }, getEnv().encryptionKey);
  if (!result.ok) return refusal(t, result);
  log.info("account.saved", { account: result.accountId, by: user.id, created: true, rotated: false });
  revalidatePath("/", "layout");
  redirect(accountPath(result.appId, "/settings/api"));
});

export type KindState = FormState;

export const saveKind = accountAdminAction(
  { schema: ZAccountKindForm.omit({ accountId: true }), invalid: (t) => t.common.error },
  async ({ account, data, t }): Promise<KindState> => {
    if (!(await saveAccountKind(getPrisma(), { ...data, accountId: account.id }))) return { ok: false, message: t.common.error };
    revalidatePath("/", "layout");
    return { ok: true, message: t.setup.account.saved };
  },
);

const ZGenerated = z.enum(["token", "encodingAesKey"]);
const generate = (kind: z.infer<typeof ZGenerated>) => (kind === "token" ? generateToken(32) : generateEncodingAesKey());

/** Fresh values for the Generate buttons of an account's admins, from the same generators the tests trust. */
export const generateCredential = accountAdminCall(z.tuple([ZGenerated]), async ({ data: [kind] }) => generate(kind));

/** The same for the steps that add an account, which only mpdesk administrators take. */
export const generateNewCredential = adminCall(z.tuple([ZGenerated]), async ({ data: [kind] }) => generate(kind));

/**
 * The full Token or EncodingAESKey, for an account admin who clicked Show or Copy (the same values
 * must be pasted into the MP admin). Viewers get null: the pages send them only the masks.
 */
export const revealAccountSecret = accountAdminCall(z.tuple([ZGenerated]), async ({ user, account, data: [field] }) => {
  const value = await getAccountSecret(account.id, field);
  log.info("account.secret_shown", { account: account.id, field, by: user.id });
  return value;
});
