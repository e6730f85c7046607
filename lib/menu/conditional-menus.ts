import type pg from "pg";
import { AppError } from "../app-error";
import { callWeChatApi } from "../tokens/call-wechat-api";
import { deleteConditionalMenuRow, insertConditionalMenu } from "./conditional-queries";
import { validateMenu, type MenuDocument, type MenuProblem } from "./validate-menu";

// Conditional menus by tag: WeChat matches them newest first and has no edit API, so a change is
// a delete and an add (a new menuid). Only tag_id (and client_platform_type) may match: WeChat
// refuses sex, country, province, city and language with 65320, so mpdesk refuses them before.

export const CONDITIONAL_PATHS = {
  add: "/cgi-bin/menu/addconditional",
  del: "/cgi-bin/menu/delconditional",
  tryMatch: "/cgi-bin/menu/trymatch",
  tags: "/cgi-bin/tags/get",
} as const;

export type FollowerTag = { id: number; name: string; count: number };
export type MatchRule = { tag_id: string; client_platform_type?: string };

/** The account's tags, as tags/get lists them. */
export async function fetchTags(accountId: string): Promise<FollowerTag[]> {
  const got = await callWeChatApi<{ tags?: FollowerTag[] }>(accountId, { method: "GET", path: CONDITIONAL_PATHS.tags });
  return (got.tags ?? []).map((t) => ({ id: Number(t.id), name: String(t.name), count: Number(t.count ?? 0) }));
}

export type AddConditionalOutcome = { ok: true; menuId: string } | { ok: false; problems: MenuProblem[] };

export async function addConditionalMenu(
  pool: pg.Pool,
  accountId: string,
  doc: MenuDocument,
  rule: Record<string, unknown>,
  userId: string | null,
): Promise<AddConditionalOutcome> {
  const removed = Object.keys(rule).filter((k) => !["tag_id", "client_platform_type"].includes(k) && rule[k] !== undefined && rule[k] !== "");
  if (removed.length || !rule.tag_id)
    throw new AppError("INVALID_INPUT", {
      message: removed.length
        ? `WeChat matches conditional menus by tag only (65320): ${removed.join(", ")} cannot be used`
        : "a conditional menu needs a tag_id",
    });
  const problems = validateMenu(doc);
  if (problems.length) return { ok: false, problems };
  const matchrule: MatchRule = {
    tag_id: String(rule.tag_id),
    ...(rule.client_platform_type ? { client_platform_type: String(rule.client_platform_type) } : {}),
  };
  const got = await callWeChatApi<{ menuid: string | number }>(accountId, {
    method: "POST",
    path: CONDITIONAL_PATHS.add,
    body: { button: doc.button, matchrule },
  });
  const menuId = String(got.menuid);
  await insertConditionalMenu(pool, accountId, { menuid: menuId, button: doc.button, matchrule }, userId);
  return { ok: true, menuId };
}

export async function deleteConditionalMenu(pool: pg.Pool, accountId: string, menuId: string): Promise<void> {
  await callWeChatApi(accountId, { method: "POST", path: CONDITIONAL_PATHS.del, body: { menuid: menuId } });
  await deleteConditionalMenuRow(pool, accountId, menuId);
}

/** "Which menu does this follower see?": menu/trymatch's buttons for an OpenID (or WeChat ID). */
export async function tryMatchMenu(accountId: string, userId: string): Promise<MenuDocument> {
  const got = await callWeChatApi<{ button?: MenuDocument["button"] }>(accountId, {
    method: "POST",
    path: CONDITIONAL_PATHS.tryMatch,
    body: { user_id: userId },
  });
  return { button: got.button ?? [] };
}
