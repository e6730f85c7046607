import type pg from "pg";
import { isAppError } from "../app-error";
import { callWeChatApi } from "../tokens/call-wechat-api";
import { CONDITIONAL_PATHS } from "./conditional-menus";
import { replaceConditionalMenus } from "./conditional-queries";
import { menuFromWeChat } from "./wechat-menu";
import type { MenuDocument } from "./validate-menu";

// The conditional menus as WeChat holds them, and their order. WeChat matches the newest first
// and has no edit API, so a new order is made by adding copies and deleting the originals. The
// copies are added first, lowest priority first: once the last add has succeeded the new order is
// already the one followers get (every copy is newer than every original it shadows), and a failed
// add leaves the originals in place, in their old order. Then the originals are deleted. Whatever
// fails, WeChat is read again and the caller gets what it holds, in matching order.

const GET_PATH = "/cgi-bin/menu/get";

/** One conditional menu of menu/get, `menuId` WeChat's. */
export type HeldConditional = { menuId: string; menu: MenuDocument; matchrule: Record<string, unknown> };
/** menu/get's view: whether a default menu exists, and the conditional menus in matching order (first wins). */
export type HeldMenus = { hasDefault: boolean; menu: MenuDocument | null; conditional: HeldConditional[] };

type GetAnswer = {
  menu?: { button?: unknown };
  conditionalmenu?: Array<{ button?: unknown; matchrule?: Record<string, unknown>; menuid?: string | number }>;
};

/** Reads menu/get and keeps its conditional menus in menu_conditional, replaced whole. */
export async function syncConditionalMenus(pool: pg.Pool, accountId: string, userId: string | null): Promise<HeldMenus> {
  let got: GetAnswer;
  try {
    got = await callWeChatApi<GetAnswer>(accountId, { method: "GET", path: GET_PATH });
  } catch (err) {
    // 46003: no menu at all, hence no conditional menu either.
    if (isAppError(err, "WECHAT_API") && err.details.errcode === 46003) got = {};
    else throw err;
  }
  // menu/get lists them oldest first, as they were added.
  const oldestFirst = (got.conditionalmenu ?? []).map((c) => ({
    menuId: String(c.menuid),
    menu: menuFromWeChat(c.button),
    matchrule: c.matchrule ?? {},
  }));
  await replaceConditionalMenus(
    pool,
    accountId,
    oldestFirst.map((c) => ({ menuid: c.menuId, button: c.menu.button, matchrule: c.matchrule })),
    userId,
  );
  return { hasDefault: !!got.menu, menu: got.menu ? menuFromWeChat(got.menu.button) : null, conditional: oldestFirst.reverse() };
}

/** Only what addconditional takes back: tag_id, and client_platform_type when set. */
function matchruleOf(rule: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ["tag_id", "client_platform_type"]) if (rule[k] !== undefined && rule[k] !== "") out[k] = String(rule[k]);
  return out;
}

export type ReorderFailure = {
  step: "add" | "delete";
  /** The menu whose add (its copy) or delete failed. */
  menuId: string;
  errcode: number | null;
  errmsg: string;
  /** The originals whose copies WeChat now holds, and the originals it still holds. */
  copied: string[];
  deleted: string[];
};
export type ReorderOutcome = { ok: true; held: HeldMenus } | { ok: false; failure: ReorderFailure; held: HeldMenus };

/**
 * Puts the conditional menus in `order` (menu ids, first = matched first). `order` must be exactly
 * the menus WeChat holds now; when it is not (another change happened meanwhile), nothing is done
 * and the answer is null.
 */
export async function reorderConditionalMenus(pool: pg.Pool, accountId: string, order: string[], userId: string | null): Promise<ReorderOutcome | null> {
  const held = await syncConditionalMenus(pool, accountId, userId);
  const current = held.conditional.map((c) => c.menuId);
  if (current.length !== order.length || [...current].sort().join() !== [...order].sort().join()) return null;
  // The longest tail of the new order that WeChat already holds in that relative order keeps its
  // place (and its menuids); only the menus above it are re-added.
  let keep = 0;
  for (let at = current.length; keep < order.length; keep++) {
    // lastIndexOf counts a negative start from the end: at 0 there is nothing left to search.
    const found = at > 0 ? current.lastIndexOf(order[order.length - 1 - keep]!, at - 1) : -1;
    if (found < 0) break;
    at = found;
  }
  const toMove = order.slice(0, order.length - keep);
  if (!toMove.length) return { ok: true, held };
  const byId = new Map(held.conditional.map((c) => [c.menuId, c]));
  const copied: string[] = [];
  const deleted: string[] = [];
  const fail = async (step: ReorderFailure["step"], menuId: string, err: unknown): Promise<ReorderOutcome> => {
    if (!isAppError(err, "WECHAT_API")) throw err;
    return {
      ok: false,
      failure: { step, menuId, errcode: err.details.errcode ?? null, errmsg: String(err.details.errmsg ?? ""), copied, deleted },
      held: await syncConditionalMenus(pool, accountId, userId),
    };
  };
  // Lowest priority first: the last one added is the first matched.
  for (const id of [...toMove].reverse()) {
    const c = byId.get(id)!;
    try {
      await callWeChatApi(accountId, { method: "POST", path: CONDITIONAL_PATHS.add, body: { button: c.menu.button, matchrule: matchruleOf(c.matchrule) } });
      copied.push(id);
    } catch (err) {
      return fail("add", id, err);
    }
  }
  for (const id of toMove) {
    try {
      await callWeChatApi(accountId, { method: "POST", path: CONDITIONAL_PATHS.del, body: { menuid: id } });
      deleted.push(id);
    } catch (err) {
      return fail("delete", id, err);
    }
  }
  return { ok: true, held: await syncConditionalMenus(pool, accountId, userId) };
}
