import { rawQuery, sql, type Queryable } from "../db";
import type { MediaKind, StoredMedia } from "./types";

// media_asset, read and written raw: the bytes column is bytea, and listing must not read it.

type Row = {
  id: string;
  account_id: string;
  kind: MediaKind;
  permanent: boolean;
  media_id: string;
  url: string | null;
  filename: string;
  content_type: string;
  byte_size: number;
  created_at: Date;
  expires_at: Date | null;
};
const COLUMNS = sql`id, account_id, kind, permanent, media_id, url, filename, content_type, byte_size, created_at, expires_at`;

const toMedia = (r: Row): StoredMedia => ({
  id: r.id,
  accountId: r.account_id,
  kind: r.kind,
  permanent: r.permanent,
  mediaId: r.media_id,
  url: r.url,
  filename: r.filename,
  contentType: r.content_type,
  byteSize: r.byte_size,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

export type NewMediaRow = Omit<StoredMedia, "id" | "createdAt"> & {
  sha256: string;
  bytes: Buffer;
  title: string | null;
  introduction: string | null;
  originKey: string | null;
  createdByUserId: string | null;
};

/** Inserts the row; a concurrent insert of the same origin keeps the first and returns it. */
export async function insertMedia(db: Queryable, m: NewMediaRow): Promise<StoredMedia> {
  const rows = await rawQuery<Row, StoredMedia>(
    db,
    sql`INSERT INTO media_asset (id, account_id, kind, permanent, media_id, url, filename, content_type, byte_size, sha256, bytes, title, introduction, origin_key, created_by_user_id, expires_at)
        VALUES (gen_random_uuid(), ${m.accountId}, ${m.kind}::media_kind, ${m.permanent}, ${m.mediaId}, ${m.url}, ${m.filename}, ${m.contentType}, ${m.byteSize}, ${m.sha256}, ${m.bytes},
                ${m.title}, ${m.introduction}, ${m.originKey}, ${m.createdByUserId}, ${m.expiresAt})
        ON CONFLICT (account_id, origin_key) DO NOTHING
        RETURNING ${COLUMNS}`,
    toMedia,
  );
  if (rows[0]) return rows[0];
  return (await findMediaByOrigin(db, m.accountId, m.originKey!))!;
}

export async function findMediaByOrigin(db: Queryable, accountId: string, originKey: string): Promise<StoredMedia | null> {
  const rows = await rawQuery<Row, StoredMedia>(
    db,
    sql`SELECT ${COLUMNS} FROM media_asset WHERE account_id = ${accountId} AND origin_key = ${originKey}`,
    toMedia,
  );
  return rows[0] ?? null;
}

export async function findMediaByMediaId(db: Queryable, accountId: string, mediaId: string): Promise<StoredMedia | null> {
  const rows = await rawQuery<Row, StoredMedia>(db, sql`SELECT ${COLUMNS} FROM media_asset WHERE account_id = ${accountId} AND media_id = ${mediaId}`, toMedia);
  return rows[0] ?? null;
}

/** The kept copies among these media_ids (a thread's sent images), by media_id. */
export async function findMediaByMediaIds(db: Queryable, accountId: string, mediaIds: string[]): Promise<Map<string, StoredMedia>> {
  if (!mediaIds.length) return new Map();
  const rows = await rawQuery<Row, StoredMedia>(
    db,
    sql`SELECT ${COLUMNS} FROM media_asset WHERE account_id = ${accountId} AND media_id = ANY(${mediaIds}::text[])`,
    toMedia,
  );
  return new Map(rows.map((m) => [m.mediaId, m]));
}

/** One asset with its bytes, for the console to show; null when it is not this account's. */
export async function readMediaBytes(db: Queryable, accountId: string, id: string): Promise<(StoredMedia & { bytes: Buffer }) | null> {
  const rows = await rawQuery<Row & { bytes: Buffer }, StoredMedia & { bytes: Buffer }>(
    db,
    sql`SELECT ${COLUMNS}, bytes FROM media_asset WHERE account_id = ${accountId} AND id = ${id}::uuid`,
    (r) => ({ ...toMedia(r), bytes: r.bytes }),
  );
  return rows[0] ?? null;
}

/** The account's media, newest first, without their bytes. */
export async function listMedia(
  db: Queryable,
  accountId: string,
  opts: { permanent?: boolean; kind?: MediaKind; limit?: number } = {},
): Promise<StoredMedia[]> {
  const permanent = opts.permanent === undefined ? sql`` : sql` AND permanent = ${opts.permanent}`;
  const kind = opts.kind ? sql` AND kind = ${opts.kind}::media_kind` : sql``;
  return rawQuery<Row, StoredMedia>(
    db,
    sql`SELECT ${COLUMNS} FROM media_asset WHERE account_id = ${accountId}${permanent}${kind} ORDER BY created_at DESC LIMIT ${opts.limit ?? 100}`,
    toMedia,
  );
}
