import { AppError, isAppError } from "../../lib/app-error";

// What every `npm run mpdesk` command shares: how a usage mistake and a failure are reported, and
// how `--account <AppID>` is looked up, with the one sentence that names the accounts there are.

/** A usage mistake: the usage is printed and the exit code is 2. */
export const usageError = (message: string) => new AppError("INVALID_INPUT", { reason: "usage", message });
export const isUsageError = (err: unknown): err is AppError<"INVALID_INPUT"> => isAppError(err, "INVALID_INPUT") && err.reason === "usage";

/** A command that failed: the message on stderr, exit code 1. */
export function fail(message: string): 1 {
  console.error(message);
  return 1;
}

export type CliAccount = { id: string; appId: string; displayName: string | null };

/** The accounts with these AppIDs, in the order given; when some match none, says so (naming the accounts there are) and gives null. */
export async function accountsNamed(appIds: readonly string[]): Promise<CliAccount[] | null> {
  const { getPrisma } = await import("../../lib/db");
  const { findAccountsByAppId, listAccountRefs } = await import("../../lib/auth/account-members");
  const prisma = getPrisma();
  const found = await findAccountsByAppId(prisma, appIds);
  if (!found.missing.length) return found.accounts;
  const known = (await listAccountRefs(prisma)).map((a) => a.appId);
  fail(`No account with AppID ${found.missing.join(", ")}. Accounts: ${known.join(", ") || "none"}.`);
  return null;
}

/** Every account, oldest first (the first is the default one, served at /api/wechat); when there is none, says so and gives null. */
export async function allAccounts(): Promise<CliAccount[] | null> {
  const { getPrisma } = await import("../../lib/db");
  const { listAccountRefs } = await import("../../lib/auth/account-members");
  const accounts = await listAccountRefs(getPrisma());
  if (accounts.length) return accounts;
  fail(
    "No WeChat account is configured yet: add one in the console or with npm run mpdesk -- account create, or set WECHAT_APPID and WECHAT_APPSECRET before the first start.",
  );
  return null;
}

/** `--account <AppID>`, or without it the default account; null once the reason is printed. */
export async function selectAccount(appId: string | undefined): Promise<CliAccount | null> {
  const accounts = appId ? await accountsNamed([appId]) : await allAccounts();
  return accounts?.[0] ?? null;
}
