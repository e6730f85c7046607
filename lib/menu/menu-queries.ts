import { rawExecute, rawQuery, sql, type Queryable } from "../db";
import type { MenuDocument } from "./validate-menu";

// menu_draft, menu_version, menu_conditional, read and written raw. Bodies go in as the JSON text
// that menu/create receives and come back parsed; the json type keeps that text as it was.

export type MenuDraft = { body: unknown; updatedAt: Date; updatedByUserId: string | null };
export type MenuPublisher = "console" | "cli";
export type MenuVersion = {
  id: string;
  number: number;
  body: MenuDocument;
  publishedVia: MenuPublisher;
  publishedByUserId: string | null;
  /** The publisher's e-mail, while the user exists. */
  publishedByEmail: string | null;
  publishedAt: Date;
  restoredFrom: number | null;
};

export async function loadMenuDraft(db: Queryable, accountId: string): Promise<MenuDraft | null> {
  const rows = await rawQuery<{ body: unknown; updated_at: Date; updated_by_user_id: string | null }, MenuDraft>(
    db,
    sql`SELECT body, updated_at, updated_by_user_id FROM menu_draft WHERE account_id = ${accountId}`,
    (r) => ({ body: r.body, updatedAt: r.updated_at, updatedByUserId: r.updated_by_user_id }),
  );
  return rows[0] ?? null;
}

/** The draft may be incomplete: it is what the editor holds, checked only when published. */
export async function saveMenuDraft(db: Queryable, accountId: string, body: unknown, userId: string | null): Promise<void> {
  await rawExecute(
    db,
    sql`INSERT INTO menu_draft (account_id, body, updated_by_user_id, updated_at) VALUES (${accountId}, ${JSON.stringify(body)}::json, ${userId}, now())
        ON CONFLICT (account_id) DO UPDATE SET body = EXCLUDED.body, updated_by_user_id = EXCLUDED.updated_by_user_id, updated_at = now()`,
  );
}

type VersionRow = {
  id: string;
  number: number;
  body: MenuDocument;
  published_via: MenuPublisher;
  published_by_user_id: string | null;
  email: string | null;
  published_at: Date;
  restored_from: number | null;
};
const toVersion = (r: VersionRow): MenuVersion => ({
  id: r.id,
  number: r.number,
  body: r.body,
  publishedVia: r.published_via,
  publishedByUserId: r.published_by_user_id,
  publishedByEmail: r.email,
  publishedAt: r.published_at,
  restoredFrom: r.restored_from,
});
const VERSION_COLUMNS = sql`v.id, v.number, v.body, v.published_via, v.published_by_user_id, u.email, v.published_at, v.restored_from`;

/**
 * Records what menu/create accepted, numbered after the account's last version. `bodyText` is the
 * JSON text exactly as sent. Called under the account's publish lock, so numbers never collide.
 */
export async function insertMenuVersion(
  db: Queryable,
  v: { accountId: string; bodyText: string; via: MenuPublisher; userId: string | null; restoredFrom: number | null },
): Promise<MenuVersion> {
  const rows = await rawQuery<VersionRow, MenuVersion>(
    db,
    sql`WITH v AS (
          INSERT INTO menu_version (id, account_id, number, body, published_via, published_by_user_id, restored_from)
          SELECT gen_random_uuid(), ${v.accountId}, COALESCE(MAX(number), 0) + 1, ${v.bodyText}::json, ${v.via}::menu_publisher, ${v.userId}, ${v.restoredFrom}
            FROM menu_version WHERE account_id = ${v.accountId}
          RETURNING *)
        SELECT ${VERSION_COLUMNS} FROM v LEFT JOIN "user" u ON u.id = v.published_by_user_id`,
    toVersion,
  );
  return rows[0]!;
}

/** Newest first. */
export async function listMenuVersions(db: Queryable, accountId: string, limit = 100): Promise<MenuVersion[]> {
  return rawQuery<VersionRow, MenuVersion>(
    db,
    sql`SELECT ${VERSION_COLUMNS} FROM menu_version v LEFT JOIN "user" u ON u.id = v.published_by_user_id
        WHERE v.account_id = ${accountId} ORDER BY v.number DESC LIMIT ${limit}`,
    toVersion,
  );
}

export async function findMenuVersion(db: Queryable, accountId: string, number: number): Promise<MenuVersion | null> {
  const rows = await rawQuery<VersionRow, MenuVersion>(
    db,
    sql`SELECT ${VERSION_COLUMNS} FROM menu_version v LEFT JOIN "user" u ON u.id = v.published_by_user_id
        WHERE v.account_id = ${accountId} AND v.number = ${number}`,
    toVersion,
  );
  return rows[0] ?? null;
}

/** The exact JSON text a version sent (the json column as stored). */
export async function readMenuVersionText(db: Queryable, accountId: string, number: number): Promise<string | null> {
  const rows = await rawQuery<{ body: string }>(db, sql`SELECT body::text AS body FROM menu_version WHERE account_id = ${accountId} AND number = ${number}`);
  return rows[0]?.body ?? null;
}

export async function latestMenuVersion(db: Queryable, accountId: string): Promise<MenuVersion | null> {
  return (await listMenuVersions(db, accountId, 1))[0] ?? null;
}
