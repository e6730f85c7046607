import type { Prisma } from "../db";
import { encryptSecret } from "../secrets";
import type { TAccountInput } from "./account-fields";

export async function createAccount(prisma: Prisma, input: TAccountInput, encryptionKey: Buffer) {
  const account = await prisma.account.create({
    data: {
      appId: input.appId,
      token: input.token,
      appSecretEnc: input.appSecret ? encryptSecret(input.appSecret, encryptionKey) : null,
      encodingAesKeyEnc: input.encodingAesKey ? encryptSecret(input.encodingAesKey, encryptionKey) : null,
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
