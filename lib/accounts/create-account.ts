import { randomUUID } from "node:crypto";
import type { Prisma } from "../db";
import { encryptSecret } from "../secrets";
import type { TAccountInput } from "./account-fields";

export async function createAccount(prisma: Prisma, input: TAccountInput, encryptionKey: Buffer) {
  // The id is chosen here because each envelope is bound to its row.
  const id = randomUUID();
  const account = await prisma.account.create({
    data: {
      id,
      appId: input.appId,
      token: input.token,
      appSecretEnc: input.appSecret ? encryptSecret(input.appSecret, encryptionKey, "account.app_secret", id) : null,
      encodingAesKeyEnc: input.encodingAesKey ? encryptSecret(input.encodingAesKey, encryptionKey, "account.encoding_aes_key", id) : null,
      messageMode: input.messageMode,
      accountType: input.accountType,
      certified: input.certified,
    },
  });
  await notifyAccountChanged(prisma);
  return account;
}

/** Every instance listening drops its cached credentials, so a change takes effect at once everywhere. */
export async function notifyAccountChanged(prisma: Prisma) {
  await prisma.$executeRawUnsafe(`NOTIFY mpdesk_account_changed`);
}
