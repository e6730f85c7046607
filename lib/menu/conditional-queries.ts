import { rawExecute, rawQuery, sql, withTransaction, type Queryable } from "../db";
import type pg from "pg";

// menu_conditional: the conditional menus WeChat holds for an account, as menu/get lists them
// (WeChat matches the newest first). Replaced whole from WeChat's answer, never edited: WeChat
// has no edit API, a change is a delete and an add with a new menuid.

export type ConditionalMenu = { menuId: string; body: unknown; matchrule: unknown; createdAt: Date };

export async function replaceConditionalMenus(
  pool: pg.Pool,
  accountId: string,
  menus: ReadonlyArray<{ menuid: string; button: unknown; matchrule: unknown }>,
  userId: string | null,
): Promise<void> {
  await withTransaction(pool, async (client) => {
    await rawExecute(client, sql`DELETE FROM menu_conditional WHERE account_id = ${accountId}`);
    for (const m of menus) await insertConditionalMenu(client, accountId, m, userId);
  });
}

/** One conditional menu WeChat has just accepted (addconditional answered its menuid). */
export async function insertConditionalMenu(
  db: Queryable,
  accountId: string,
  m: { menuid: string; button: unknown; matchrule: unknown },
  userId: string | null,
): Promise<void> {
  await rawExecute(
    db,
    sql`INSERT INTO menu_conditional (id, account_id, menu_id, body, matchrule, created_by_user_id)
        VALUES (gen_random_uuid(), ${accountId}, ${m.menuid}, ${JSON.stringify({ button: m.button })}::json, ${JSON.stringify(m.matchrule ?? {})}::json, ${userId})`,
  );
}

export async function deleteConditionalMenuRow(db: Queryable, accountId: string, menuId: string): Promise<void> {
  await rawExecute(db, sql`DELETE FROM menu_conditional WHERE account_id = ${accountId} AND menu_id = ${menuId}`);
}

export async function listConditionalMenus(db: pg.Pool, accountId: string): Promise<ConditionalMenu[]> {
  return rawQuery<{ menu_id: string; body: unknown; matchrule: unknown; created_at: Date }, ConditionalMenu>(
    db,
    sql`SELECT menu_id, body, matchrule, created_at FROM menu_conditional WHERE account_id = ${accountId} ORDER BY created_at, menu_id`,
    (r) => ({ menuId: r.menu_id, body: r.body, matchrule: r.matchrule, createdAt: r.created_at }),
  );
}

/** The followers who wrote or tapped most recently, for "which menu does this follower see?". */
export async function listRecentFollowers(db: pg.Pool, accountId: string, limit = 10): Promise<string[]> {
  return rawQuery<{ from_user: string }, string>(
    db,
    sql`SELECT from_user FROM message WHERE account_id = ${accountId} AND direction = 'inbound'
        GROUP BY from_user ORDER BY max(received_at) DESC LIMIT ${limit}`,
    (r) => r.from_user,
  );
}
