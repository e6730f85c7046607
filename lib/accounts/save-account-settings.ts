import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Prisma } from "../db";
import { decryptSecret, encryptSecret } from "../secrets";
import { ZAccountType, ZAppId, ZAppSecret, ZDisplayName, ZEncodingAesKey, ZMessageMode, ZToken } from "./account-fields";
import { notifyAccountChanged } from "./create-account";

// Step 2 of the setup (and step 1 for an existing account). A new account may be given its display
// name here; an existing one is renamed on its own (rename-account.ts), so a credentials form
// never clears a name by leaving the field out. Secrets left empty keep their saved
// value; a new EncodingAESKey moves the current one to previous_encoding_aes_key_enc, because
// WeChat may go on encrypting with the old key for a while. Every save NOTIFYs all instances.

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const ZCredentialsForm = z.object({
  accountId: z.preprocess(blankToUndefined, z.uuid().optional()),
  appId: ZAppId,
  appSecret: z.preprocess(blankToUndefined, ZAppSecret.optional()),
  token: ZToken,
  encodingAesKey: z.preprocess(blankToUndefined, ZEncodingAesKey.optional()),
  messageMode: ZMessageMode,
  accountType: ZAccountType.default("subscription"),
  certified: z.preprocess((v) => v === true || v === "true" || v === "on" || v === "1", z.boolean()),
  displayName: ZDisplayName.optional(),
});
export type TCredentialsForm = z.infer<typeof ZCredentialsForm>;

export type SaveResult =
  | { ok: true; accountId: string; appId: string; rotated: boolean; created: boolean }
  | { ok: false; field: "appId" | "encodingAesKey" | "accountId"; reason: "taken" | "required" | "missing" };

export async function saveAccountSettings(prisma: Prisma, input: TCredentialsForm, encryptionKey: Buffer): Promise<SaveResult> {
  const existing = input.accountId ? await prisma.account.findUnique({ where: { id: input.accountId } }) : null;
  if (input.accountId && !existing) return { ok: false, field: "accountId", reason: "missing" };
  if (input.messageMode !== "plain" && !input.encodingAesKey && !existing?.encodingAesKeyEnc) {
    return { ok: false, field: "encodingAesKey", reason: "required" };
  }
  const clash = await prisma.account.findUnique({ where: { appId: input.appId }, select: { id: true } });
  if (clash && clash.id !== existing?.id) return { ok: false, field: "appId", reason: "taken" };

  // Envelopes are bound to their row, so a new account's id is chosen before encrypting.
  const id = existing?.id ?? randomUUID();
  let rotated = false;
  const keyFields: { encodingAesKeyEnc?: string; previousEncodingAesKeyEnc?: string | null } = {};
  if (input.encodingAesKey) {
    const current = existing?.encodingAesKeyEnc ? decryptSecret(existing.encodingAesKeyEnc, encryptionKey, "account.encoding_aes_key", id) : null;
    if (current !== input.encodingAesKey) {
      keyFields.encodingAesKeyEnc = encryptSecret(input.encodingAesKey, encryptionKey, "account.encoding_aes_key", id);
      if (current !== null) {
        // Re-encrypted rather than copied: the envelope is bound to its column too.
        keyFields.previousEncodingAesKeyEnc = encryptSecret(current, encryptionKey, "account.previous_encoding_aes_key", id);
        rotated = true;
      }
    }
  }
  const data = {
    appId: input.appId,
    token: input.token,
    messageMode: input.messageMode,
    accountType: input.accountType,
    certified: input.certified,
    ...(input.appSecret ? { appSecretEnc: encryptSecret(input.appSecret, encryptionKey, "account.app_secret", id) } : {}),
    ...keyFields,
  };
  const account = existing
    ? await prisma.account.update({ where: { id: existing.id }, data })
    : await prisma.account.create({ data: { ...data, id, displayName: input.displayName ?? null } });
  await notifyAccountChanged(prisma);
  return { ok: true, accountId: account.id, appId: account.appId, rotated, created: !existing };
}

export const ZAccountKindForm = z.object({
  accountId: z.uuid(),
  accountType: ZAccountType,
  certified: z.preprocess((v) => v === true || v === "true" || v === "on" || v === "1", z.boolean()),
});

export async function saveAccountKind(prisma: Prisma, input: z.infer<typeof ZAccountKindForm>): Promise<boolean> {
  const { count } = await prisma.account.updateMany({ where: { id: input.accountId }, data: { accountType: input.accountType, certified: input.certified } });
  return count === 1;
}
