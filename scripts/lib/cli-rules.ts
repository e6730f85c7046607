import { readFileSync } from "node:fs";
import { selectAccount, usageError } from "./cli-common";
import type { CliFlags } from "./cli-format";

// `npm run mpdesk -- rules export|import`: an account's reply rules as one versioned JSON document
// (lib/replies/rule-set-io.ts). Export writes only the document on stdout, so it can be redirected
// to a file; import validates the whole file first and names every bad field.

export const RULES_USAGE = `  rules export [--account <AppID>]  the account's reply rules as JSON on stdout ({"version": 1, "account", "timeZone", "rules"})
  rules import FILE.json [--account <AppID>]
                                   make the account's rules those of the file (matched by name; missing ones deleted)`;

/** `rules export`, `rules import FILE.json`: the file is the command's third word. */
export const isRulesCommand = (command: string) => command === "rules export" || command.startsWith("rules import");

export async function runRulesCommand(command: string, flags: CliFlags): Promise<number> {
  const [, verb, ...rest] = command.split(" ");
  const account = await selectAccount(flags.value("account"));
  if (!account) return 1;
  if (verb === "export") return exportCommand(account);
  if (!rest.length) throw usageError("rules import needs a FILE.json");
  return importCommand(account, rest.join(" "));
}

async function exportCommand(account: { id: string; appId: string }): Promise<number> {
  const { getPrisma } = await import("../../lib/db");
  const { exportRuleSet } = await import("../../lib/replies/rule-set-io");
  process.stdout.write(JSON.stringify(await exportRuleSet(getPrisma(), account), null, 2) + "\n");
  return 0;
}

async function importCommand(account: { id: string; appId: string }, file: string): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    console.error(`${file}: cannot read it: ${(err as Error).message}`);
    return 1;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    console.error(`${file}: not JSON: ${(err as Error).message}`);
    return 1;
  }
  const { ZRuleSetFile, formatIssuePath } = await import("../../lib/replies/rule-fields");
  const parsed = ZRuleSetFile.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`${formatIssuePath(issue.path) || "(the document)"}: ${issue.message}`);
    console.error(`${file}: nothing imported.`);
    return 1;
  }
  const { getPrisma } = await import("../../lib/db");
  const { importRuleSet } = await import("../../lib/replies/rule-set-io");
  const summary = await importRuleSet(getPrisma(), account.id, parsed.data);
  const from = parsed.data.account && parsed.data.account !== account.appId ? ` (exported from ${parsed.data.account})` : "";
  console.log(
    `${account.appId}: ${parsed.data.rules.length} rules imported${from}: ${summary.created.length} created, ${summary.updated.length} updated, ${summary.deleted.length} deleted. Running instances answer with them now.`,
  );
  return 0;
}
