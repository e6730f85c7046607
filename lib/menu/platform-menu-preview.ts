import { callWeChatApi } from "../tokens/call-wechat-api";
import { SELFMENU_PATH } from "./import-wechat-menu";

// What the Keep your menu step shows before importing: get_current_selfmenu_info's buttons as
// followers see them, each with what the import makes of it. The MP admin's own types (text,
// img, voice, video, news) become click buttons answered by a reply rule; the others stay.

const PLATFORM_TYPES = new Set(["text", "img", "voice", "video", "news"]);

export type PlatformMenuRow = {
  path: string;
  depth: 0 | 1;
  name: string;
  /** The button's type at WeChat; "" for a parent of a sub-menu. */
  type: string;
  becomes: "parent" | "kept" | "click_rule";
  /** A text button's text, a view button's URL: what it does, in short. */
  detail: string;
};
export type PlatformMenu = { open: boolean; rows: PlatformMenuRow[] };

type SelfMenuButton = Record<string, unknown> & { sub_button?: { list?: SelfMenuButton[] } };

function row(b: SelfMenuButton, path: string, depth: 0 | 1): PlatformMenuRow {
  const type = String(b.type ?? "");
  const detail = [b.value, b.url, b.key, b.pagepath].find((v) => typeof v === "string" && v) as string | undefined;
  return { path, depth, name: String(b.name ?? ""), type, becomes: PLATFORM_TYPES.has(type) ? "click_rule" : "kept", detail: (detail ?? "").slice(0, 120) };
}

export async function fetchPlatformMenu(accountId: string): Promise<PlatformMenu> {
  const info = await callWeChatApi<{ is_menu_open?: number; selfmenu_info?: { button?: SelfMenuButton[] } }>(accountId, {
    method: "GET",
    path: SELFMENU_PATH,
  });
  const rows: PlatformMenuRow[] = [];
  for (const [i, b] of (info.selfmenu_info?.button ?? []).entries()) {
    const subs = b.sub_button?.list;
    if (Array.isArray(subs) && subs.length) {
      rows.push({ path: `button[${i}]`, depth: 0, name: String(b.name ?? ""), type: "", becomes: "parent", detail: "" });
      for (const [j, s] of subs.entries()) rows.push(row(s, `button[${i}].sub_button[${j}]`, 1));
    } else rows.push(row(b, `button[${i}]`, 0));
  }
  return { open: info.is_menu_open === 1, rows };
}
