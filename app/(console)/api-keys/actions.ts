"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { isAppError } from "@/lib/app-error";
import { adminAction, type FormState } from "@/lib/auth/server-action";
import { fmt } from "@/lib/i18n";
import { log } from "@/lib/log";
import { API_KEY_SCOPES, createApiKey, revokeApiKey } from "@/lib/tokens";

export type KeyState = FormState<"name" | "accounts" | "scopes", { key: string }>;

const text = z.preprocess((v) => v ?? "", z.string());
// One checkbox per account, named `account:<account id>`: a form's entries keep one value per name.
const ACCOUNT_FIELD = /^account:([0-9a-f-]{36})$/;
// One checkbox per scope, named `permission:<scope>` (the `scope` field is the account choice).
const permissionField = (scope: string) => `permission:${scope}`;

// The key's name is checked by createApiKey itself, the rule the CLI shares. Keys are global
// (a key may cover several accounts), so only administrators of mpdesk manage them.
export const createKeyAction = adminAction(
  { schema: z.object({ name: text, scope: z.enum(["all", "some"]).catch("all") }).catchall(z.unknown()), invalid: (t) => t.apiKeys.nameError },
  async ({ user, data, t }): Promise<KeyState> => {
    const k = t.apiKeys;
    const accountIds = data.scope === "some" ? Object.keys(data).flatMap((f) => ACCOUNT_FIELD.exec(f)?.[1] ?? []) : [];
    if (data.scope === "some" && !accountIds.length) return { ok: false, message: k.scopeRequired, errors: { accounts: k.scopeRequired } };
    // Only the known scopes are read from the form, so nothing else can be granted through it.
    const scopes = API_KEY_SCOPES.filter((s) => Object.hasOwn(data, permissionField(s)));
    if (!scopes.length) return { ok: false, message: k.permissionsRequired, errors: { scopes: k.permissionsRequired } };
    try {
      const created = await createApiKey(data.name, { accountIds, scopes });
      log.info("api_key.created", { by: user.id, key: created.id, scopes: created.scopes, accounts: accountIds.length || "all" });
      revalidatePath("/api-keys");
      return { ok: true, message: fmt(k.created, { name: created.name }), key: created.key };
    } catch (err) {
      if (isAppError(err, "INVALID_INPUT")) return { ok: false, message: t.setup.credentials.errors.form, errors: { name: k.nameError } };
      // An account removed while the form was open.
      if (isAppError(err, "NOT_FOUND")) return { ok: false, message: k.scopeRequired, errors: { accounts: k.scopeRequired } };
      throw err;
    }
  },
);

export const revokeKeyAction = adminAction(
  { schema: z.object({ id: text, name: text }), invalid: (t) => t.common.error },
  async ({ user, data, t }): Promise<KeyState> => {
    const revoked = await revokeApiKey(data.id);
    log.info("api_key.revoked", { by: user.id, key: data.id, revoked });
    revalidatePath("/api-keys");
    return revoked ? { ok: true, message: fmt(t.apiKeys.revokedMessage, { name: data.name }) } : { ok: false, message: t.common.error };
  },
);
