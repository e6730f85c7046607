// `npm run mpdesk -- <command>`: the operator's command line. Same configuration as `npm start`
// (DATABASE_URL, or the embedded PostgreSQL of this checkout — the running one if `npm start` is
// up, else it is started for the command and stopped after), same migrations, same lib/ code.
// Machine-readable where automation needs it: `api-key create` prints the key as its last line.
import { createInterface } from "node:readline";
import { AppError, isAppError } from "../lib/app-error";
import { ACCOUNT_COMMANDS, ACCOUNT_USAGE, runAccountCommand } from "./lib/cli-accounts";
import { iso, printTable } from "./lib/cli-format";
import { isRulesCommand, RULES_USAGE, runRulesCommand } from "./lib/cli-rules";

const USAGE = `Usage: npm run mpdesk -- <command>

${ACCOUNT_USAGE}
${RULES_USAGE}
  api-key create --name <name>     create a key for a service calling GET /api/token (printed once, last line)
  api-key list                     list keys: name, prefix, created, last used, revoked
  api-key revoke --name <name>     revoke the active key with this name (or --id <id>)
  token show [--account <AppID>]   token status and expiry per account (the token itself masked)
  token refresh [--account <AppID>] [--force]
                                   ask WeChat for a token now; --force replaces a valid stable token
  user create --email <e-mail> [--password <pw>] [--role admin|viewer]
                                   add a console user (password prompted, or read from stdin)`;

type Args = { command: string; flags: Map<string, string | true> };

const COMMANDS = [...ACCOUNT_COMMANDS, "api-key create", "api-key list", "api-key revoke", "token show", "token refresh", "user create"];

// A usage mistake: the usage is printed and the exit code is 2.
const usageError = (message: string) => new AppError("INVALID_INPUT", { reason: "usage", message });
const isUsageError = (err: unknown): err is AppError<"INVALID_INPUT"> => isAppError(err, "INVALID_INPUT") && err.reason === "usage";

function parseArgs(argv: string[]): Args {
  const words: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) {
      words.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const next = argv[i + 1];
    if (inline !== undefined) flags.set(name, inline);
    else if (next !== undefined && !next.startsWith("--") && name !== "force") flags.set(name, (i++, next));
    else flags.set(name, true);
  }
  return { command: words.join(" "), flags };
}

function flag(args: Args, name: string, required: true): string;
function flag(args: Args, name: string, required?: false): string | undefined;
function flag(args: Args, name: string, required = false): string | undefined {
  const v = args.flags.get(name);
  if (v === true) throw usageError(`--${name} needs a value`);
  if (required && !v) throw usageError(`${args.command} needs --${name}`);
  return v;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args.command || args.command === "help" || args.flags.has("help")) {
    console.log(USAGE);
    return args.command && args.command !== "help" ? 2 : 0;
  }
  if (!COMMANDS.includes(args.command) && !isRulesCommand(args.command)) {
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
  if (isRulesCommand(args.command)) return runRulesCommand(args.command, { get: (name) => flag(args, name), has: (name) => args.flags.has(name) });
  if (ACCOUNT_COMMANDS.includes(args.command)) return runAccountCommand(args.command, { get: (name) => flag(args, name), has: (name) => args.flags.has(name) });
  const tokens = await import("../lib/tokens");
  switch (args.command) {
    case "api-key create": {
      const name = flag(args, "name", true);
      try {
        const created = await tokens.createApiKey(name);
        console.log(`Created API key "${created.name}". It is shown only now; give it to the service as \`Authorization: Bearer <key>\`:`);
        console.log(created.key);
        return 0;
      } catch (err) {
        if (isAppError(err, "INVALID_INPUT")) return fail(err.message);
        throw err;
      }
    }
    case "api-key list": {
      const keys = await tokens.listApiKeys();
      if (!keys.length) {
        console.log("No API keys yet. Create one with: npm run mpdesk -- api-key create --name <service>");
        return 0;
      }
      printTable(
        ["NAME", "PREFIX", "CREATED", "LAST USED", "STATUS"],
        keys.map((k) => [
          k.name,
          `${k.prefix}…`,
          iso(k.createdAt),
          k.lastUsedAt ? iso(k.lastUsedAt) : "never",
          k.revokedAt ? `revoked ${iso(k.revokedAt)}` : "active",
        ]),
      );
      return 0;
    }
    case "api-key revoke": {
      const target = flag(args, "name") ?? flag(args, "id");
      if (!target) throw usageError("api-key revoke needs --name (or --id)");
      if (!(await tokens.revokeApiKey(target))) return fail(`No active API key named "${target}".`);
      console.log(`Revoked "${target}". Running instances refuse it within seconds.`);
      return 0;
    }
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
      return createUser(args);
  }
  throw usageError(`Unknown command "${args.command}"`);
}

/** `--account <AppID>`, or every account (`all`) / the first one, as GET /api/token does. */
async function selectAccounts(appId: string | undefined, all: boolean): Promise<Array<{ id: string; appId: string }> | null> {
  const { getPrisma } = await import("../lib/db");
  const accounts = await getPrisma().account.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true, appId: true } });
  if (appId) {
    const found = accounts.find((a) => a.appId === appId);
    if (!found) fail(`No account with AppID ${appId}. Accounts: ${accounts.map((a) => a.appId).join(", ") || "none"}.`);
    return found ? [found] : null;
  }
  if (!accounts.length) {
    fail("No WeChat account is configured yet: add one in the console, or set WECHAT_APPID and WECHAT_APPSECRET before the first start.");
    return null;
  }
  return all ? accounts : accounts.slice(0, 1);
}

async function createUser(args: Args): Promise<number> {
  const { z } = await import("zod");
  const { getPrisma } = await import("../lib/db");
  const { hashPassword } = await import("../lib/auth/password");
  const email = z.email().safeParse(flag(args, "email", true).trim().toLowerCase());
  if (!email.success) throw usageError("--email is not an e-mail address");
  const role = flag(args, "role") ?? "viewer";
  if (role !== "admin" && role !== "viewer") throw usageError("--role is admin or viewer");
  const prisma = getPrisma();
  if (await prisma.user.findUnique({ where: { email: email.data }, select: { id: true } })) {
    return fail(`A user ${email.data} already exists.`);
  }
  const password = flag(args, "password") ?? (await readPassword());
  if (password.length < 8) return fail("The password must be at least 8 characters.");
  await prisma.user.create({ data: { email: email.data, passwordHash: await hashPassword(password), role } });
  console.log(`Created ${role} ${email.data}.`);
  return 0;
}

/** Prompted without echo in a terminal; otherwise the first line of stdin (`echo "$PW" | npm run mpdesk -- user create …`). */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    throw usageError("no password: pass --password, pipe it on stdin, or run in a terminal to be asked");
  }
  const ask = async (prompt: string) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
    let prompted = false;
    out._writeToOutput = (s: string) => {
      if (!prompted) out.output.write(s); // the prompt itself; the typed characters stay hidden
      prompted = true;
    };
    const answer = await new Promise<string>((resolve) => rl.question(prompt, resolve));
    rl.close();
    process.stdout.write("\n");
    return answer;
  };
  const first = await ask("Password: ");
  if ((await ask("Repeat password: ")) !== first) throw usageError("the passwords differ");
  return first;
}

function fail(message: string): 1 {
  console.error(message);
  return 1;
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
