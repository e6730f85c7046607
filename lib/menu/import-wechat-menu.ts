import { createHash } from "node:crypto";
import type pg from "pg";
import { isAppError } from "../app-error";
import type { Prisma } from "../db";
import { convertPlatformReply, type PlatformReplyItem } from "../replies/platform-reply";
import { replyToColumns } from "../replies/reply-columns";
import { LIMITS, type RuleReply } from "../replies/rule-fields";
import { lockAccountRules, notifyRulesChanged } from "../replies/rule-queries";
import { callWeChatApi } from "../tokens/call-wechat-api";
import { saveMenuDraft } from "./menu-queries";
import { replaceConditionalMenus } from "./conditional-queries";
import { MENU_GET_PATH } from "./publish-menu";
import { validateMenu, type MenuButton, type MenuDocument, type MenuProblem } from "./validate-menu";

// Taking over the menu the MP admin's editor built: enabling 服务器配置 stops WeChat serving it.
// get_current_selfmenu_info gives what followers see, with the editor's platform-only buttons
// (a button that sends a text, an image, a voice, a video or an article). Those become click
// buttons with a generated key, each answered by an mpdesk reply rule carrying the same content
// (origin menu_import, origin_key menu:<key>, so importing again updates the same rules), its
// temporary media re-hosted as permanent material. The result is saved as the draft; the
// conditional menus of menu/get are kept as WeChat holds them.

export const SELFMENU_PATH = "/cgi-bin/get_current_selfmenu_info";
const PLATFORM_TYPES = new Set(["text", "img", "voice", "video", "news"]);
const API_FIELDS = ["type", "name", "key", "url", "appid", "pagepath", "article_id"] as const;

type SelfMenuButton = Record<string, unknown> & { sub_button?: { list?: SelfMenuButton[] } };
type SelfMenuInfo = { is_menu_open?: number; selfmenu_info?: { button?: SelfMenuButton[] } };

export type ConvertedButton = {
  path: string;
  name: string;
  from: string;
  key: string;
  rule: string | null;
  problem: "unsupported" | "empty" | "media_expired" | null;
};
export type MenuImportSummary = {
  /** is_menu_open: 0 when the account shows no menu. */
  menuOpen: boolean;
  menu: MenuDocument;
  converted: ConvertedButton[];
  /** What the validator says of the converted menu (a name the MP admin allowed that the API refuses). */
  problems: MenuProblem[];
  conditionalMenus: number;
  /** menu/get answered 48001: the account cannot republish (an unverified 订阅号). */
  menuApi: boolean;
};

/** A key for a converted button: stable for the same content, so importing again gives the same key. */
function generatedKey(b: SelfMenuButton, taken: Set<string>): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([b.type, b.value ?? "", b.news_info ?? null]))
    .digest("hex");
  let key = `mpdesk_${String(b.type)}_${digest.slice(0, 12)}`;
  for (let n = 2; taken.has(key); n++) key = `mpdesk_${String(b.type)}_${digest.slice(0, 12)}_${n}`;
  taken.add(key);
  return key;
}

function apiLeaf(b: SelfMenuButton): MenuButton {
  const out: Record<string, string> = {};
  for (const f of API_FIELDS) if (typeof b[f] === "string") out[f] = b[f] as string;
  return out as MenuButton;
}

export async function importWeChatMenu(pool: pg.Pool, prisma: Prisma, accountId: string, opts: { userId?: string } = {}): Promise<MenuImportSummary> {
  const info = await callWeChatApi<SelfMenuInfo>(accountId, { method: "GET", path: SELFMENU_PATH });
  let conditional: Array<{ menuid: string; button: unknown; matchrule: unknown }> = [];
  let menuApi = true;
  try {
    const got = await callWeChatApi<{ conditionalmenu?: Array<{ menuid: string | number; button: unknown; matchrule: unknown }> }>(accountId, {
      method: "GET",
      path: MENU_GET_PATH,
    });
    conditional = (got.conditionalmenu ?? []).map((c) => ({ menuid: String(c.menuid), button: c.button, matchrule: c.matchrule }));
  } catch (err) {
    // 46003: no API menu yet (the MP admin's is not one); 48001: the account has no menu API.
    if (!isAppError(err, "WECHAT_API") || ![46003, 48001].includes(err.details.errcode)) throw err;
    menuApi = err.details.errcode !== 48001;
  }

  const buttons = info.selfmenu_info?.button ?? [];
  const taken = new Set<string>();
  for (const b of buttons) {
    if (typeof b.key === "string") taken.add(b.key);
    for (const s of b.sub_button?.list ?? []) if (typeof s.key === "string") taken.add(s.key);
  }
  const converted: ConvertedButton[] = [];
  const rules: Array<{ key: string; name: string; reply: RuleReply }> = [];

  const leaf = async (b: SelfMenuButton, path: string): Promise<MenuButton> => {
    const type = String(b.type ?? "");
    if (!PLATFORM_TYPES.has(type)) return apiLeaf(b);
    const key = generatedKey(b, taken);
    const name = String(b.name ?? "");
    const item: PlatformReplyItem = {
      type,
      content: typeof b.value === "string" ? b.value : undefined,
      news_info: b.news_info as PlatformReplyItem["news_info"],
    };
    const result = await convertPlatformReply(pool, accountId, item, opts);
    const ruleName = `${name || key} (menu ${key.slice(-6)})`.slice(0, LIMITS.name);
    if (result.ok) rules.push({ key, name: ruleName, reply: result.reply });
    converted.push({ path, name, from: type, key, rule: result.ok ? ruleName : null, problem: result.ok ? null : result.reason });
    return { type: "click", name, key };
  };

  const menu: MenuDocument = { button: [] };
  for (const [i, b] of buttons.entries()) {
    const subs = b.sub_button?.list;
    if (Array.isArray(subs) && subs.length) {
      const sub_button: MenuButton[] = [];
      for (const [j, s] of subs.entries()) sub_button.push(await leaf(s, `button[${i}].sub_button[${j}]`));
      menu.button.push({ name: String(b.name ?? ""), sub_button });
    } else menu.button.push(await leaf(b, `button[${i}]`));
  }

  await prisma.$transaction(async (tx) => {
    await lockAccountRules(tx, accountId);
    for (const r of rules) {
      const originKey = `menu:${r.key}`;
      const fields = { name: r.name, trigger: "click" as const, eventKey: r.key, origin: "menu_import" };
      const rule = await tx.replyRule.upsert({
        where: { accountId_originKey: { accountId, originKey } },
        create: { accountId, originKey, ...fields },
        update: fields,
      });
      await tx.replyMessage.deleteMany({ where: { ruleId: rule.id } });
      await tx.replyMessage.create({ data: { ruleId: rule.id, position: 0, ...replyToColumns(r.reply) } });
    }
    await notifyRulesChanged(tx, accountId);
  });
  await saveMenuDraft(pool, accountId, menu, opts.userId ?? null);
  if (menuApi) await replaceConditionalMenus(pool, accountId, conditional, opts.userId ?? null);
  return { menuOpen: info.is_menu_open === 1, menu, converted, problems: validateMenu(menu), conditionalMenus: conditional.length, menuApi };
}
