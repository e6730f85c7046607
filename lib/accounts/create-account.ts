import { randomUUID } from "node:crypto";
import { AppError } from "../app-error";
import type { Prisma } from "../db";
import { encryptSecret } from "../secrets";
import type { TAccountInput } from "./account-fields";

/** Adds an account; every instance serves its callback at once. An AppID already there is INVALID_INPUT (reason appid_taken). */
export async function createAccount(prisma: Prisma, input: TAccountInput, encryptionKey: Buffer) {
  // The id is chosen here because each envelope is bound to its row.
  const id = randomUUID();
  const taken = () => new AppError("INVALID_INPUT", { reason: "appid_taken", message: `An account with AppID ${input.appId} exists already` });
  if (await prisma.account.findUnique({ where: { appId: input.appId }, select: { id: true } })) throw taken();
  const account = await prisma.account
    .create({
      data: {
        id,
        appId: input.appId,
        token: input.token,
        appSecretEnc: input.appSecret ? encryptSecret(input.appSecret, encryptionKey, "account.app_secret", id) : null,
        encodingAesKeyEnc: input.encodingAesKey ? encryptSecret(input.encodingAesKey, encryptionKey, "account.encoding_aes_key", id) : null,
        messageMode: input.messageMode,
        accountType: input.accountType,
        certified: input.certified,
        displayName: input.displayName ?? null,
      },
    })
    .catch((err: unknown) => {
      // Created meanwhile by someone else.
      if ((err as { code?: unknown }).code === "P2002") throw taken();
      throw err;
    });
  await notifyAccountChanged(prisma);
  return account;
}

/** Every instance listening drops its cached credentials, so a change takes effect at once everywhere. */
export async function notifyAccountChanged(prisma: Prisma) {
  await prisma.$executeRawUnsafe(`NOTIFY mpdesk_account_changed`);
}
