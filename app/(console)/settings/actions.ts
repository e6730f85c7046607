"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getAccountSecret } from "@/lib/accounts/console-account";
import { saveAccountKind, saveAccountSettings, ZAccountKindForm, ZCredentialsForm } from "@/lib/accounts/save-account-settings";
import { adminAction, adminCall, type FormState } from "@/lib/auth/server-action";
import { getPrisma } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { generateEncodingAesKey, generateToken } from "@/lib/wechat/crypto";

export type CredentialField = "appId" | "appSecret" | "token" | "encodingAesKey" | "messageMode";
export type CredentialsState = FormState<CredentialField, { rotated: boolean; created: boolean }>;

export const saveCredentials = adminAction(
  {
    schema: ZCredentialsForm,
    invalid: (t) => t.setup.credentials.errors.form,
    fields: ({
      setup: {
        credentials: { errors: e },
      },
    }) => ({ appId: e.appId, appSecret: e.appSecret, token: e.token, encodingAesKey: e.encodingAesKey }),
  },
  async ({ user, data, t }): Promise<CredentialsState> => {
    const e = t.setup.credentials.errors;
    const result = await saveAccountSettings(getPrisma(), data, getEnv().encryptionKey);
    if (!result.ok) {
      if (result.field === "appId") return { ok: false, message: e.form, errors: { appId: e.appIdTaken } };
      if (result.field === "encodingAesKey") return { ok: false, message: e.form, errors: { encodingAesKey: e.encodingAesKeyRequired } };
      return { ok: false, message: t.common.error };
    }
    log.info("account.saved", { account: result.accountId, by: user.id, created: result.created, rotated: result.rotated });
    revalidatePath("/", "layout");
    return { ok: true, message: t.setup.credentials.saved, rotated: result.rotated, created: result.created };
  },
);

export type KindState = FormState;

export const saveKind = adminAction({ schema: ZAccountKindForm, invalid: (t) => t.common.error }, async ({ data, t }): Promise<KindState> => {
  if (!(await saveAccountKind(getPrisma(), data))) return { ok: false, message: t.common.error };
  revalidatePath("/", "layout");
  return { ok: true, message: t.setup.account.saved };
});

/** Fresh values for the Generate buttons, from the same generators the tests trust. */
export const generateCredential = adminCall(z.tuple([z.enum(["token", "encodingAesKey"])]), async ({ data: [kind] }) =>
  kind === "token" ? generateToken(32) : generateEncodingAesKey(),
);

/**
 * The full Token or EncodingAESKey, for an admin who clicked Show or Copy (the same values must
 * be pasted into the MP admin). Viewers get null: the pages send them only the masks.
 */
export const revealAccountSecret = adminCall(z.tuple([z.uuid(), z.enum(["token", "encodingAesKey"])]), async ({ user, data: [accountId, field] }) => {
  const value = await getAccountSecret(accountId, field);
  log.info("account.secret_shown", { account: accountId, field, by: user.id });
  return value;
});
