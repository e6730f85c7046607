import { readFileSync } from "node:fs";
import { isAppError } from "../../lib/app-error";
import { fail, selectAccount, usageError } from "./cli-common";
import type { CliFlags } from "./cli-format";

// `npm run mpdesk -- menu publish|export|import-wechat`: an account's custom menu in WeChat's own menu/create
// JSON ({"button": […]}). publish checks the menu first and calls WeChat only when it is valid;
// export writes only the document on stdout, so it can be redirected and published again.

export const MENU_USAGE = `  menu publish [FILE.json] [--account <AppID>]
                                   publish the console's draft, or the file ({"button": [...]}, as menu/create takes it);
                                   exits 1 with the reasons, without calling WeChat, when WeChat would refuse it
  menu export [--account <AppID>]  the published menu on stdout, in the same format
  menu import-wechat [--account <AppID>]
                                   import the menu followers see now (the MP admin's included) as the draft; buttons
                                   that send a text, image, voice, video or article become click buttons with a reply rule`;

/** `menu publish [FILE.json]`, `menu export`: the file is the command's third word. */
export const isMenuCommand = (command: string) =>
  command === "menu export" || command === "menu import-wechat" || command === "menu publish" || command.startsWith("menu publish ");

export async function runMenuCommand(command: string, flags: CliFlags): Promise<number> {
  const [, verb, ...rest] = command.split(" ");
  const account = await selectAccount(flags.value("account"));
  if (!account) return 1;
  if (verb === "export") {
    if (rest.length) throw usageError("menu export takes no file");
    return exportCommand(account);
  }
  if (verb === "import-wechat") return importCommand(account);
  return publishCommand(account, rest.length ? rest.join(" ") : null);
}

async function exportCommand(account: { id: string; appId: string }): Promise<number> {
  const { getPool } = await import("../../lib/db");
  const { readPublishedMenu } = await import("../../lib/menu/publish-menu");
  try {
    const published = await readPublishedMenu(getPool(), account.id);
    if (!published) return fail(`${account.appId}: no menu is published (WeChat answered 46003).`);
    process.stdout.write(JSON.stringify(published.menu, null, 2) + "\n");
    return 0;
  } catch (err) {
    return wechatFailure(account.appId, err);
  }
}

async function publishCommand(account: { id: string; appId: string }, file: string | null): Promise<number> {
  let doc: unknown = undefined;
  if (file !== null) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      return fail(`${file}: cannot read it: ${(err as Error).message}`);
    }
    try {
      doc = JSON.parse(text);
    } catch (err) {
      return fail(`${file}: not JSON: ${(err as Error).message}`);
    }
  }
  const { getPool } = await import("../../lib/db");
  const { publishMenu, publishMenuDraft } = await import("../../lib/menu/publish-menu");
  const { formatMenuProblems } = await import("../../lib/menu/validate-menu");
  const by = { via: "cli" as const, userId: null };
  try {
    const outcome = file === null ? await publishMenuDraft(getPool(), account.id, by) : await publishMenu(getPool(), account.id, doc, by);
    if (!outcome.ok) {
      for (const line of formatMenuProblems(outcome.problems)) console.error(line);
      return fail(`${file ?? "the draft"}: WeChat would refuse this menu; nothing was sent.`);
    }
    console.log(
      `${account.appId}: menu published as version ${outcome.version.number} (${outcome.version.body.button.length} buttons). WeChat clients show a new menu within about 5 minutes.`,
    );
    return 0;
  } catch (err) {
    if (isAppError(err, "NOT_FOUND")) return fail(`${account.appId}: ${err.message}`);
    return wechatFailure(account.appId, err);
  }
}

function wechatFailure(appId: string, err: unknown): number {
  if (isAppError(err, "WECHAT_API")) {
    const hint = err.details.errcode === 48001 ? " This account has no menu API: an unverified 订阅号 gets it once certified (认证)." : "";
    return fail(`${appId}: WeChat refused ${err.details.path}: ${err.details.errcode} ${err.details.errmsg}${hint}`);
  }
  throw err;
}

async function importCommand(account: { id: string; appId: string }): Promise<number> {
  const { getPool, getPrisma } = await import("../../lib/db");
  const { importWeChatMenu } = await import("../../lib/menu/import-wechat-menu");
  const { formatMenuProblems } = await import("../../lib/menu/validate-menu");
  try {
    const s = await importWeChatMenu(getPool(), getPrisma(), account.id);
    if (!s.menuOpen || !s.menu.button.length) {
      console.log(`${account.appId}: WeChat shows no menu for this account; the draft is now empty.`);
      return 0;
    }
    const subs = s.menu.button.reduce((n, b) => n + (b.sub_button?.length ?? 0), 0);
    console.log(`${account.appId}: imported ${s.menu.button.length} buttons and ${subs} sub-buttons as the draft.`);
    for (const c of s.converted)
      console.log(
        `  ${c.path} "${c.name}": ${c.from} → click ${c.key}, ${c.rule ? `answered by the rule "${c.rule}"` : `NO reply rule (${c.problem === "media_expired" ? "the media expired at WeChat" : c.problem === "empty" ? "it sends nothing" : "mpdesk cannot send it"})`}`,
      );
    if (s.conditionalMenus) console.log(`  ${s.conditionalMenus} conditional menus kept as WeChat holds them.`);
    for (const line of formatMenuProblems(s.problems)) console.error(`  ${line}`);
    if (!s.menuApi)
      console.error(
        `${account.appId}: this account has no menu API (48001, e.g. an unverified 订阅号). Once 服务器配置 is enabled its menu disappears, and it cannot be republished until the account is certified (认证).`,
      );
    else console.log(`Publish it with: npm run mpdesk -- menu publish --account ${account.appId}`);
    return 0;
  } catch (err) {
    return wechatFailure(account.appId, err);
  }
}
