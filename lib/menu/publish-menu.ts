import type pg from "pg";
import { LOCK_CLASS } from "../advisory-locks";
import { AppError, isAppError } from "../app-error";
import { rawQuery, sql, withTransaction, type Queryable } from "../db";
import { callWeChatApi } from "../tokens/call-wechat-api";
import { diffMenus, type MenuButtonChange } from "./diff-menu";
import {
  findMenuVersion,
  insertMenuVersion,
  latestMenuVersion,
  loadMenuDraft,
  readMenuVersionText,
  type MenuPublisher,
  type MenuVersion,
} from "./menu-queries";
import { validateMenu, type MenuDocument, type MenuProblem } from "./validate-menu";
import { menuFromWeChat } from "./wechat-menu";

// Publishing an account's menu: checked first (nothing invalid reaches WeChat), sent to
// menu/create, then recorded as a version with exactly the JSON text WeChat received. A rollback
// republishes an old version's text as it was. Publishes of one account run one at a time under
// an advisory lock, so the newest version is always the menu WeChat holds.

export const MENU_CREATE_PATH = "/cgi-bin/menu/create";
export const MENU_GET_PATH = "/cgi-bin/menu/get";

export type MenuPublishBy = { via: MenuPublisher; userId: string | null };
export type PublishOutcome = { ok: true; version: MenuVersion } | { ok: false; problems: MenuProblem[] };

export async function publishMenu(
  pool: pg.Pool,
  accountId: string,
  doc: unknown,
  by: MenuPublishBy,
  opts: { restoredFrom?: number } = {},
): Promise<PublishOutcome> {
  const problems = validateMenu(doc);
  if (problems.length) return { ok: false, problems };
  const bodyText = JSON.stringify(doc);
  const version = await withTransaction(pool, async (client) => {
    await rawQuery(client, sql`SELECT pg_advisory_xact_lock(${LOCK_CLASS.menuPublish}::int, hashtext(${accountId}))`);
    // The client sends JSON.stringify of what it is given: parsed from bodyText, that is bodyText again.
    await callWeChatApi(accountId, { method: "POST", path: MENU_CREATE_PATH, body: JSON.parse(bodyText) });
    return insertMenuVersion(client, { accountId, bodyText, via: by.via, userId: by.userId, restoredFrom: opts.restoredFrom ?? null });
  });
  return { ok: true, version };
}

/** Publishes the saved draft; NOT_FOUND when there is none. */
export async function publishMenuDraft(pool: pg.Pool, accountId: string, by: MenuPublishBy): Promise<PublishOutcome> {
  const draft = await loadMenuDraft(pool, accountId);
  if (!draft) throw new AppError("NOT_FOUND", { message: "There is no menu draft for this account: save one in the console, or give a FILE.json." });
  return publishMenu(pool, accountId, draft.body, by);
}

/** Republishes version `number` exactly as it was sent; a new version records that it was restored from it. */
export async function rollbackMenu(pool: pg.Pool, accountId: string, number: number, by: MenuPublishBy): Promise<PublishOutcome> {
  const text = await readMenuVersionText(pool, accountId, number);
  if (text === null) throw new AppError("NOT_FOUND", { message: `No menu version ${number} for this account.` });
  return publishMenu(pool, accountId, JSON.parse(text), by, { restoredFrom: number });
}

/** What changed from version `from` to version `to`, button by button. */
export async function diffMenuVersions(db: Queryable, accountId: string, from: number, to: number): Promise<MenuButtonChange[]> {
  const [a, b] = await Promise.all([findMenuVersion(db, accountId, from), findMenuVersion(db, accountId, to)]);
  if (!a || !b) throw new AppError("NOT_FOUND", { message: `No menu version ${!a ? from : to} for this account.` });
  return diffMenus(a.body, b.body);
}

export type PublishedMenu = { source: "version"; version: MenuVersion; menu: MenuDocument } | { source: "wechat"; menu: MenuDocument } | null;

/**
 * The menu in menu/create's format: mpdesk's last published version, else the one WeChat holds
 * (menu/get, set through the API by another program); null when there is none (46003).
 */
export async function readPublishedMenu(db: Queryable, accountId: string): Promise<PublishedMenu> {
  const version = await latestMenuVersion(db, accountId);
  if (version) return { source: "version", version, menu: version.body };
  try {
    const got = await callWeChatApi<{ menu?: { button?: unknown } }>(accountId, { method: "GET", path: MENU_GET_PATH });
    return { source: "wechat", menu: menuFromWeChat(got.menu?.button) };
  } catch (err) {
    if (isAppError(err, "WECHAT_API") && err.details.errcode === 46003) return null;
    throw err;
  }
}
