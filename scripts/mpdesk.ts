// `npm run mpdesk -- <command>`: the operator's command line. Same configuration as `npm start`
// (DATABASE_URL, or the embedded PostgreSQL of this checkout — the running one if `npm start` is
// up, else it is started for the command and stopped after), same migrations, same lib/ code.
// Machine-readable where automation needs it: `api-key create` prints the key as its last line.
import { isAppError } from "../lib/app-error";
import { ACCOUNT_COMMANDS, ACCOUNT_USAGE, runAccountCommand } from "./lib/cli-accounts";
import { API_KEY_COMMANDS, API_KEY_USAGE, runApiKeyCommand } from "./lib/cli-api-keys";
import { allAccounts, fail, isUsageError, selectAccount, usageError, type CliAccount } from "./lib/cli-common";
import { iso, printTable, type CliFlags } from "./lib/cli-format";
import { isMenuCommand, MENU_USAGE, runMenuCommand } from "./lib/cli-menu";
import { isRulesCommand, RULES_USAGE, runRulesCommand } from "./lib/cli-rules";

const USAGE = `Usage: npm run mpdesk -- <command>

${ACCOUNT_USAGE}
${RULES_USAGE}
${MENU_USAGE}
${API_KEY_USAGE}
  token show [--account <AppID>]   token status and expiry per account (the token itself masked)
  token refresh [--account <AppID>] [--force]
                                   ask WeChat for a token now; --force replaces a valid stable token
  user create --email <e-mail> [--password <pw>] [--role admin|viewer] [--account <AppID> …]
                                   add a console user (password prompted, or read from stdin): with --account,
                                   a member with --role on those accounts; else --role admin is an administrator
                                   of mpdesk, --role viewer a viewer of every account that exists now
  user grant --email <e-mail> --account <AppID> --role admin|viewer|none
                                   change a member's role on one account (none: no access)`;

// A flag may be given more than once (`--account A --account B`): each value is kept, in order.
type Args = { command: string; flags: Map<string, Array<string | true>> };

const COMMANDS = [...ACCOUNT_COMMANDS, ...API_KEY_COMMANDS, "token show", "token refresh", "user create", "user grant"];

// A usage mistake: the usage is printed and the exit code is 2.

// Flags that are on or off: the word after one is never its value.
const SWITCHES = new Set(["force", "yes", "certified", "help"]);

function parseArgs(argv: string[]): Args {
  const words: string[] = [];
  const flags = new Map<string, Array<string | true>>();
  const add = (name: string, value: string | true) => flags.set(name, [...(flags.get(name) ?? []), value]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) {
      words.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const next = argv[i + 1];
    if (inline !== undefined) add(name, inline);
    else if (next !== undefined && !next.startsWith("--") && !SWITCHES.has(name)) add(name, (i++, next));
    else add(name, true);
  }
  return { command: words.join(" "), flags };
}

function flag(args: Args, name: string, required: true): string;
function flag(args: Args, name: string, required?: false): string | undefined;
function flag(args: Args, name: string, required = false): string | undefined {
  const all = args.flags.get(name) ?? [];
  if (all.length > 1) throw usageError(`--${name} is given more than once`);
  const v = all[0];
  if (v === true) throw usageError(`--${name} needs a value`);
  if (required && !v) throw usageError(`${args.command} needs --${name}`);
  return v;
}

/** Every value of a repeatable flag, in the order given. */
function flagValues(args: Args, name: string): string[] {
  return (args.flags.get(name) ?? []).map((v) => {
    if (v === true) throw usageError(`--${name} needs a value`);
    return v;
  });
}

const cliFlags = (args: Args): CliFlags => ({
  value: ((name: string, required?: boolean) => flag(args, name, required as false)) as CliFlags["value"],
  values: (name) => flagValues(args, name),
  has: (name) => args.flags.has(name),
});

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args.command || args.command === "help" || args.flags.has("help")) {
    console.log(USAGE);
    return args.command && args.command !== "help" ? 2 : 0;
  }
  if (!COMMANDS.includes(args.command) && !isRulesCommand(args.command) && !isMenuCommand(args.command)) {
    console.error(`Unknown command "${args.command}".\n\n${USAGE}`);
    return 2;
  }
  // Library logs (JSON lines) would mix with the output; warnings still reach stderr.
  process.env.LOG_LEVEL ||= "warn";
  const { prepareRuntime } = await import("./lib/runtime");
  let runtime: Awaited<ReturnType<typeof prepareRuntime>>;
  try {
    runtime = await prepareRuntime({ seed: false, quiet: true, attach: true });
  } catch (err) {
    console.error(isAppError(err, "CONFIG") ? `[mpdesk] ${err.message}` : `[mpdesk] cannot reach the database: ${(err as Error).message}`);
    return 1;
  }
  // lib/ reads its configuration from process.env (getEnv), so it sees exactly what `npm start` passes the app.
  Object.assign(process.env, runtime.childEnv);
  const db = await import("../lib/db");
  try {
    return await run(args);
  } catch (err) {
    if (isUsageError(err)) {
      console.error(`${err.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`[mpdesk] ${(err as Error).message}`);
    return 1;
  } finally {
    await db
      .getPrisma()
      .$disconnect()
      .catch(() => {});
    await db
      .getPool()
      .end()
      .catch(() => {});
    await runtime.stop();
  }
}

async function run(args: Args): Promise<number> {
  if (isRulesCommand(args.command)) return runRulesCommand(args.command, cliFlags(args));
  if (isMenuCommand(args.command)) return runMenuCommand(args.command, cliFlags(args));
  if (ACCOUNT_COMMANDS.includes(args.command)) return runAccountCommand(args.command, cliFlags(args));
  if (API_KEY_COMMANDS.includes(args.command)) return runApiKeyCommand(args.command, cliFlags(args));
  const tokens = await import("../lib/tokens");
  switch (args.command) {
    case "token show": {
      const accounts = await selectAccounts(flag(args, "account"), true);
      if (!accounts) return 1;
      const { loadToken } = await import("../lib/tokens/token-cache");
      const { maskSecret } = await import("../lib/secrets");
      for (const a of accounts) {
        const status = await tokens.getTokenStatus(a.id);
        const stored = status.state === "none" ? null : await loadToken(a.id);
        console.log(`${a.appId}`);
        const lines: Array<[string, string]> = [
          ["state", status.state],
          ["endpoint", status.endpoint],
          ["token", stored ? `${maskSecret(stored.token)} (${stored.token.length} characters)` : "none"],
          ["expires at", status.expiresAt ? `${iso(status.expiresAt)} (${relative(status.expiresAt)})` : "-"],
          ["last refresh", status.lastRefreshAt ? iso(status.lastRefreshAt) : "never"],
        ];
        if (status.lastError) {
          const e = status.lastError;
          lines.push(["last error", `${e.errcode ?? "network"} ${e.errmsg}`], ["fix", e.fix.en]);
        }
        for (const [k, v] of lines) console.log(`  ${k.padEnd(13)}${v}`);
      }
      return 0;
    }
    case "token refresh": {
      const accounts = await selectAccounts(flag(args, "account"), false);
      if (!accounts) return 1;
      const account = accounts[0]!;
      const result = await tokens.refreshTokenNow(account.id, { forceRotate: args.flags.has("force") });
      if (!result.ok) {
        const e = result.error;
        return fail(`${account.appId}: WeChat refused the token request: ${e.errcode ?? "network error"} ${e.errmsg}\n${e.fix.en}\n${e.fix.zh}`);
      }
      console.log(`${account.appId}: new access_token stored, expires at ${iso(result.expiresAt)} (${relative(result.expiresAt)}).`);
      return 0;
    }
    case "user create":
      return (await import("./lib/cli-users")).createUserCommand(cliFlags(args));
    case "user grant":
      return (await import("./lib/cli-users")).grantUserCommand(cliFlags(args));
  }
  throw usageError(`Unknown command "${args.command}"`);
}

/** `--account <AppID>`, or every account (`all`) / the first one, as GET /api/token does. */
async function selectAccounts(appId: string | undefined, all: boolean): Promise<CliAccount[] | null> {
  if (appId || !all) {
    const account = await selectAccount(appId);
    return account ? [account] : null;
  }
  return allAccounts();
}

function relative(d: Date): string {
  const s = Math.round((d.getTime() - Date.now()) / 1000);
  const abs = Math.abs(s);
  const text =
    abs >= 3600 ? `${Math.floor(abs / 3600)} h ${Math.floor((abs % 3600) / 60)} min` : abs >= 60 ? `${Math.floor(abs / 60)} min ${abs % 60} s` : `${abs} s`;
  return s >= 0 ? `in ${text}` : `${text} ago`;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[mpdesk] ${(err as Error).message}`);
    process.exit(1);
  },
);
