import type { MenuButton, MenuDocument } from "./validate-menu";

// menu/get's answer back into menu/create's shape: WeChat gives every leaf an empty sub_button
// (and may add fields of its own), which menu/create does not need. Client-safe.

const LEAF_FIELDS = ["type", "name", "key", "url", "appid", "pagepath", "article_id", "media_id"] as const;

function leaf(b: Record<string, unknown>): MenuButton {
  const out: Record<string, string> = {};
  for (const f of LEAF_FIELDS) if (typeof b[f] === "string") out[f] = b[f] as string;
  return out as MenuButton;
}

/** One button list of menu/get (menu.button, a conditionalmenu's button) as menu/create takes it. */
export function menuFromWeChat(button: unknown): MenuDocument {
  const list = Array.isArray(button) ? (button as Array<Record<string, unknown>>) : [];
  return {
    button: list.map((b) =>
      Array.isArray(b.sub_button) && b.sub_button.length
        ? { name: String(b.name ?? ""), sub_button: (b.sub_button as Array<Record<string, unknown>>).map(leaf) }
        : leaf(b),
    ),
  };
}
