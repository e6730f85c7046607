import type { TMessageFilters } from "./message-filters";
import { termGrams } from "./search-grams";

// The WHERE clause every view of the log shares (list, export, live check), built once so the
// page, the export and the benchmark run exactly the same SQL.

export type SqlParts = { where: string; params: unknown[] };

export function buildMessageWhere(accountId: string, filters: TMessageFilters, tz: string): SqlParts {
  const params: unknown[] = [accountId];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const clauses = [`account_id = $1`];
  if (filters.type) clauses.push(`msg_type = ${p(filters.type)}`);
  if (filters.event) clauses.push(`event = ${p(filters.event)}`);
  if (filters.direction) clauses.push(`direction = ${p(filters.direction)}::direction`);
  if (filters.openid) {
    // A follower is the sender of inbound rows and the recipient of outbound ones; the second
    // branch matches the partial index message_outbound_to_user_idx.
    const v = p(filters.openid);
    clauses.push(`(from_user = ${v} OR (direction = 'outbound' AND to_user = ${v}))`);
  }
  // Calendar days in the viewer's time zone, converted by PostgreSQL (DST-safe).
  if (filters.from) clauses.push(`received_at >= (${p(filters.from)}::date)::timestamp AT TIME ZONE ${p(tz)}`);
  if (filters.to) clauses.push(`received_at < ((${p(filters.to)}::date + 1)::timestamp AT TIME ZONE ${p(tz)})`);
  if (filters.q) {
    // Candidates through the GIN index on character grams, then an exact substring check.
    const v = p(filters.q);
    clauses.push(`content_grams @> ${p(termGrams(filters.q))}::text[] AND strpos(lower(content), lower(${v})) > 0`);
  }
  return { where: clauses.join(" AND "), params };
}

/** received_at as UTC text with microseconds: exact, unlike a JavaScript Date. */
export const CURSOR_SQL = `to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '~' || id`;
