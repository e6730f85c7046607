import { createInterface } from "node:readline";
import { ZAccountInput } from "../../lib/accounts/account-fields";
import { isAppError } from "../../lib/app-error";
import { accountsNamed, fail, usageError } from "./cli-common";
import { iso, printTable, type CliFlags } from "./cli-format";

// `npm run mpdesk -- account create|list|remove`: the same validation as the console's forms (the
// zod schemas of lib/accounts/account-fields.ts) and the same lib/ functions, so an account made
// here is served at once by every running instance.

export const ACCOUNT_COMMANDS = ["account create", "account list", "account remove"];

export const ACCOUNT_USAGE = `  account create --appid <AppID> --secret <AppSecret> --token <Token> [--aes-key <EncodingAESKey>]
                 [--mode plain|compat|safe] [--name <display name>] [--type subscription|service|miniprogram|wecom] [--certified]
                                   add an account; prints its callback URL path last (/api/wechat/<AppID>)
  account list                     list accounts: AppID, name, type, mode, messages, created, the default
  account remove --appid <AppID> [--yes]
                                   delete an account and everything kept for it (asks to type the AppID, unless --yes)`;

/** The callback path an account is served at; /api/wechat also serves the default (oldest) one. */
export const callbackPath = (appId: string) => `/api/wechat/${appId}`;

// The flag each field of the account form comes from, so an error names what to fix.
const FLAG_OF: Record<string, string> = {
  appId: "--appid",
  appSecret: "--secret",
  token: "--token",
  encodingAesKey: "--aes-key",
  messageMode: "--mode",
  accountType: "--type",
  certified: "--certified",
  displayName: "--name",
};

export async function runAccountCommand(command: string, flags: CliFlags): Promise<number> {
  switch (command) {
    case "account create":
      return createAccountCommand(flags);
    case "account list":
      return listAccountsCommand();
    case "account remove":
      return removeAccountCommand(flags);
  }
  throw usageError(`Unknown command "${command}"`);
}

async function createAccountCommand(flags: CliFlags): Promise<number> {
  const input = {
    appId: flags.value("appid", true),
    appSecret: flags.value("secret", true),
    token: flags.value("token", true),
    encodingAesKey: flags.value("aes-key"),
    messageMode: flags.value("mode"),
    accountType: flags.value("type"),
    certified: flags.has("certified"),
    displayName: flags.value("name"),
  };
  const parsed = ZAccountInput.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0]);
      console.error(`${FLAG_OF[field] ?? field}: ${issue.message}`);
    }
    return 1;
  }
  const { getPrisma } = await import("../../lib/db");
  const { getEnv } = await import("../../lib/env");
  const { createAccount } = await import("../../lib/accounts/create-account");
  try {
    const account = await createAccount(getPrisma(), parsed.data, getEnv().encryptionKey);
    const name = account.displayName ? ` (${account.displayName})` : "";
    console.log(`Created account ${account.appId}${name}: ${account.messageMode} mode, ${account.accountType}${account.certified ? ", certified" : ""}.`);
    console.log("Its server URL for the MP admin (设置与开发 → 基本配置 → 服务器配置) is your public address followed by:");
    console.log(callbackPath(account.appId));
    return 0;
  } catch (err) {
    if (isAppError(err, "INVALID_INPUT")) {
      console.error(`--appid: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

async function listAccountsCommand(): Promise<number> {
  const { getPrisma } = await import("../../lib/db");
  const prisma = getPrisma();
  const accounts = await prisma.account.findMany({
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, appId: true, displayName: true, accountType: true, certified: true, messageMode: true, createdAt: true },
  });
  if (!accounts.length) {
    console.log("No accounts yet. Add one with: npm run mpdesk -- account create --appid <AppID> --secret <AppSecret> --token <Token>");
    return 0;
  }
  const counts = new Map((await prisma.message.groupBy({ by: ["accountId"], _count: { _all: true } })).map((c) => [c.accountId, c._count._all] as const));
  printTable(
    ["APPID", "NAME", "TYPE", "CERTIFIED", "MODE", "MESSAGES", "CREATED", "CALLBACK"],
    accounts.map((a, i) => [
      a.appId,
      a.displayName ?? "-",
      a.accountType,
      a.certified ? "yes" : "no",
      a.messageMode,
      String(counts.get(a.id) ?? 0),
      iso(a.createdAt),
      // The oldest account is the default: /api/wechat without an AppID serves it.
      i === 0 ? `${callbackPath(a.appId)}, default at /api/wechat` : callbackPath(a.appId),
    ]),
  );
  return 0;
}

async function removeAccountCommand(flags: CliFlags): Promise<number> {
  const appId = flags.value("appid", true);
  const { getPrisma } = await import("../../lib/db");
  const { describeAccountRemoval, removeAccount } = await import("../../lib/accounts/remove-account");
  const prisma = getPrisma();
  const [account] = (await accountsNamed([appId])) ?? [];
  if (!account) return 1;
  const removal = await describeAccountRemoval(prisma, account.id);
  if (!removal) return fail(`No account with AppID ${appId} (removed meanwhile).`);
  const name = removal.displayName ? ` (${removal.displayName})` : "";
  console.log(`Removing account ${appId}${name} deletes, for good:`);
  const lines: Array<[string, string]> = [
    ["messages", String(removal.messages)],
    ["callback events", String(removal.callbackEvents)],
    ["token refresh events", String(removal.tokenRefreshEvents)],
    ["member roles", String(removal.members)],
    ["API-key scopes", `${removal.apiKeyScopes} (keys that also cover other accounts keep those)`],
    ["API keys revoked", `${removal.apiKeysRevoked} (scoped to this account alone)`],
    ["access_token", removal.hasToken ? "yes" : "none"],
  ];
  for (const [k, v] of lines) console.log(`  ${k.padEnd(22)}${v}`);
  if (!flags.has("yes")) {
    if (!process.stdin.isTTY)
      return fail(`Not removed: confirmation is asked in a terminal, and stdin is not one. Pass --yes to remove ${appId} without asking.`);
    const answer = await ask(`Type the AppID (${appId}) to confirm, anything else to cancel: `);
    if (answer.trim() !== appId) return fail("Not removed.");
  }
  if (!(await removeAccount(prisma, appId))) return fail(`No account with AppID ${appId} (removed meanwhile).`);
  console.log(`Removed ${appId}. Its URL ${callbackPath(appId)} now answers 404 (unknown account).`);
  const first = await prisma.account.findFirst({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { appId: true } });
  console.log(first ? `The default account (served at /api/wechat) is ${first.appId}.` : "No account is left.");
  return 0;
}

async function ask(prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  try {
    return await new Promise<string>((resolve) => rl.question(prompt, resolve));
  } finally {
    rl.close();
  }
}
