import { isAppError } from "../../lib/app-error";
import { accountsNamed, fail, usageError } from "./cli-common";
import { iso, printTable, type CliFlags } from "./cli-format";

// `npm run mpdesk -- api-key create|list|revoke`: keys for the services that fetch a token
// (GET /api/token, scope token:read) or send messages through mpdesk (POST /api/messages, scope
// messages:send). The scopes are checked against the one list in lib/tokens/api-keys.ts.

export const API_KEY_COMMANDS = ["api-key create", "api-key list", "api-key revoke"];

export const API_KEY_USAGE = `  api-key create --name <name> [--scope token:read|messages:send …] [--account <AppID> …]
                                   create a key for another service (printed once, last line); --scope (repeatable):
                                   token:read for GET /api/token (the default), messages:send for POST /api/messages;
                                   with --account (repeatable) it acts for those accounts only
  api-key list                     list keys: name, prefix, scopes, accounts, created, last used, revoked
  api-key revoke --name <name>     revoke the active key with this name (or --id <id>)`;

export async function runApiKeyCommand(command: string, flags: CliFlags): Promise<number> {
  switch (command) {
    case "api-key create":
      return createKeyCommand(flags);
    case "api-key list":
      return listKeysCommand();
    case "api-key revoke":
      return revokeKeyCommand(flags);
  }
  throw usageError(`Unknown command "${command}"`);
}

async function createKeyCommand(flags: CliFlags): Promise<number> {
  const name = flags.value("name", true);
  const { API_KEY_SCOPES, createApiKey, isApiKeyScope } = await import("../../lib/tokens");
  const scopes = flags.values("scope");
  // A typo in a scope is a usage mistake, told before anything is looked up or created.
  const unknown = scopes.filter((s) => !isApiKeyScope(s));
  if (unknown.length) throw usageError(`Unknown scope ${unknown.map((s) => `"${s}"`).join(", ")}: --scope is one of ${API_KEY_SCOPES.join(", ")}`);
  const accounts = await accountsNamed(flags.values("account"));
  if (!accounts) return 1;
  try {
    const created = await createApiKey(name, { accountIds: accounts.map((a) => a.id), scopes });
    const covers = accounts.length ? `account${accounts.length > 1 ? "s" : ""} ${accounts.map((a) => a.appId).join(", ")}` : "every account";
    console.log(
      `Created API key "${created.name}" (${created.scopes.join(", ")}) for ${covers}. It is shown only now; give it to the service as \`Authorization: Bearer <key>\`:`,
    );
    console.log(created.key);
    return 0;
  } catch (err) {
    if (isAppError(err, "INVALID_INPUT")) return fail(err.message);
    throw err;
  }
}

async function listKeysCommand(): Promise<number> {
  const { listApiKeys } = await import("../../lib/tokens");
  const keys = await listApiKeys();
  if (!keys.length) {
    console.log("No API keys yet. Create one with: npm run mpdesk -- api-key create --name <service>");
    return 0;
  }
  printTable(
    ["NAME", "PREFIX", "SCOPES", "ACCOUNTS", "CREATED", "LAST USED", "STATUS"],
    keys.map((k) => [
      k.name,
      `${k.prefix}…`,
      k.scopes.join(","),
      k.accounts ? k.accounts.join(",") : "all",
      iso(k.createdAt),
      k.lastUsedAt ? iso(k.lastUsedAt) : "never",
      k.revokedAt ? `revoked ${iso(k.revokedAt)}` : "active",
    ]),
  );
  return 0;
}

async function revokeKeyCommand(flags: CliFlags): Promise<number> {
  const target = flags.value("name") ?? flags.value("id");
  if (!target) throw usageError("api-key revoke needs --name (or --id)");
  const { revokeApiKey } = await import("../../lib/tokens");
  if (!(await revokeApiKey(target))) return fail(`No active API key named "${target}".`);
  console.log(`Revoked "${target}". Running instances refuse it within seconds.`);
  return 0;
}
