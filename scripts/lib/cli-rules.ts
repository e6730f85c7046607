import { readFileSync } from "node:fs";
import { selectAccount, usageError } from "./cli-common";
import type { CliFlags } from "./cli-format";

// `npm run mpdesk -- rules export|import`: an account's reply rules as one versioned JSON document
// (lib/replies/rule-set-io.ts). Export writes only the document on stdout, so it can be redirected
// to a file; import validates the whole file first and names every bad field.

export const RULES_USAGE = `  rules export [--account <AppID>]  the account's reply rules as JSON on stdout ({"version": 1, "account", "timeZone", "rules"})
  rules import FILE.json [--account <AppID>]
                                   make the account's rules those of the file (matched by name; missing ones deleted)
  rules import-wechat [--account <AppID>]
                                   import the auto-replies set in the MP admin (get_current_autoreply_info), media re-hosted;
                                   run again to update them (rules written in the console are left alone)`;

/** `rules export`, `rules import FILE.json`: the file is the command's third word. */
export const isRulesCommand = (command: string) => command === "rules export" || command.startsWith("rules import");

export async function runRulesCommand(command: string, flags: CliFlags): Promise<number> {
  const [, verb, ...rest] = command.split(" ");
  const account = await selectAccount(flags.value("account"));
  if (!account) return 1;
  if (verb === "export") return exportCommand(account);
  if (verb === "import-wechat") return importWeChatCommand(account);
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

async function importWeChatCommand(account: { id: string; appId: string }): Promise<number> {
  const { getPool, getPrisma } = await import("../../lib/db");
  const { importWeChatAutoreplies, IMPORT_DISABLED_REASONS } = await import("../../lib/replies/import-wechat");
  const { describeImportFailure } = await import("../../lib/replies/import-wechat-errors");
  const { getDictionary } = await import("../../lib/i18n");
  const prisma = getPrisma();
  const row = await prisma.account.findUniqueOrThrow({ where: { id: account.id }, select: { accountType: true, certified: true } });
  let summary: Awaited<ReturnType<typeof importWeChatAutoreplies>>;
  try {
    summary = await importWeChatAutoreplies({ prisma, pool: getPool() }, { id: account.id, ...row });
  } catch (err) {
    const failure = describeImportFailure(err, getDictionary("en"));
    if (!failure) throw err;
    console.error(`${account.appId}: nothing imported. ${failure.what}`);
    console.error(`Fix: ${failure.fix}`);
    return 1;
  }
  const list = (names: string[]) => (names.length ? `: ${names.join(", ")}` : "");
  console.log(
    `${account.appId}: ${summary.added.length} added, ${summary.updated.length} updated, ${summary.unchanged.length} unchanged, ${summary.removed.length} no longer on the platform (turned off).`,
  );
  if (summary.added.length) console.log(`  added${list(summary.added)}`);
  if (summary.updated.length) console.log(`  updated${list(summary.updated)}`);
  if (summary.removed.length) console.log(`  no longer on the platform${list(summary.removed)}`);
  for (const d of summary.disabled) console.log(`  imported off: ${d.name} (${IMPORT_DISABLED_REASONS[d.reason]})`);
  for (const s of summary.skipped)
    console.log(`  not imported: ${s.name} (${s.reason === "no_keywords" ? "it has no keyword" : "none of its replies can be sent"})`);
  for (const d of summary.droppedReplies) console.log(`  left out of ${d.name}: a ${d.type} reply (${d.reason.replace("_", " ")})`);
  for (const d of summary.droppedArticles) console.log(`  ${d.name}: a reply carries one article; left out: ${d.titles.join(", ")}`);
  if (summary.media) console.log(`  ${summary.media} media kept as permanent material.`);
  if (summary.added.length || summary.updated.length || summary.removed.length) console.log("Running instances answer with them now.");
  return 0;
}
