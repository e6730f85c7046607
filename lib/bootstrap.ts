import { z } from "zod";
import { ZAccountInput } from "./accounts/account-fields";
import { createAccount } from "./accounts/create-account";
import { generatePassword, hashPassword } from "./auth/password";
import type { Prisma } from "./db";
import { configError } from "./env";

// First-start seeding for automation: the default account from WECHAT_*, the first admin from ADMIN_*.
// Only ever fills an empty database; after that the console owns these records.

export const DEFAULT_ADMIN_EMAIL = "admin@mpdesk.local";

export type BootstrapReport = { createdAccount?: string; createdAdmin?: string; generatedPassword?: string };

export async function bootstrap(prisma: Prisma, source: Record<string, string | undefined>, encryptionKey: Buffer): Promise<BootstrapReport> {
  const report: BootstrapReport = {};
  const v = (name: string) => (source[name] === "" ? undefined : source[name]);

  if (v("WECHAT_APPID") && (await prisma.account.count()) === 0) {
    const parsed = ZAccountInput.safeParse({
      appId: v("WECHAT_APPID"),
      appSecret: v("WECHAT_APPSECRET"),
      token: v("WECHAT_TOKEN"),
      encodingAesKey: v("WECHAT_ENCODING_AES_KEY"),
      messageMode: v("WECHAT_MESSAGE_MODE"),
    });
    if (!parsed.success) {
      const names: Record<string, string> = {
        appId: "WECHAT_APPID",
        appSecret: "WECHAT_APPSECRET",
        token: "WECHAT_TOKEN",
        encodingAesKey: "WECHAT_ENCODING_AES_KEY",
        messageMode: "WECHAT_MESSAGE_MODE",
      };
      throw configError(
        parsed.error.issues.map((i) => {
          const name = names[String(i.path[0])] ?? String(i.path[0]);
          return source[name] ? `${name}: ${i.message}` : `${name} is not set (${i.message})`;
        }),
      );
    }
    await createAccount(prisma, parsed.data, encryptionKey);
    report.createdAccount = parsed.data.appId;
  }

  if ((await prisma.user.count()) === 0) {
    // A newcomer who set nothing still needs a way in: a default address and a generated password.
    const email = z.email().safeParse((v("ADMIN_EMAIL") ?? DEFAULT_ADMIN_EMAIL).trim().toLowerCase());
    if (!email.success) throw configError([`ADMIN_EMAIL is not an e-mail address`]);
    const given = v("ADMIN_PASSWORD");
    if (given !== undefined && given.length < 8) throw configError(["ADMIN_PASSWORD must be at least 8 characters"]);
    const password = given ?? generatePassword();
    await prisma.user.create({ data: { email: email.data, passwordHash: await hashPassword(password), role: "admin" } });
    report.createdAdmin = email.data;
    if (!given) report.generatedPassword = password;
  }
  return report;
}
