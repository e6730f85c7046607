// Where an account's pages live: /a/<AppID>/…, so that a link pasted to a colleague opens the
// same account, whatever that colleague looked at last. Safe to import from client components.

/** The console's pages about one account, and the bare paths they had before the AppID was in the URL. */
export const ACCOUNT_SECTIONS = ["messages", "settings", "token", "manage"] as const;

const LEGACY = /^\/(messages|settings|token)(\/|$)/;

/**
 * `/a/<AppID>` followed by `sub` (which starts with a slash, or is empty for the account's
 * overview) and `search` (a query string as filtersToSearch() writes it, `?…`, or empty).
 */
export function accountPath(appId: string, sub: "" | `/${string}` = "", search = ""): string {
  return `/a/${encodeURIComponent(appId)}${sub === "/" ? "" : sub}${search}`;
}

/**
 * A route handler's URL about one account (`/api/live`, `/api/messages/export` …): the account
 * goes first in the query, then `search` (`?…` from filtersToSearch(), or empty).
 */
export function accountApiPath(route: `/api/${string}`, appId: string, search = ""): string {
  const rest = search.replace(/^\?/, "");
  return `${route}?account=${encodeURIComponent(appId)}${rest ? `&${rest}` : ""}`;
}

/** A kept media file's bytes (GET /api/media/<id>), for the console to show an image or play a voice. */
export function accountMediaPath(appId: string, assetId: string): string {
  return accountApiPath(`/api/media/${encodeURIComponent(assetId)}`, appId);
}

/** For a URL from before /a/<AppID>/ (`/messages/12`), the same page's sub-path; null for any other URL. */
export function legacyAccountSubPath(pathname: string): `/${string}` | null {
  return LEGACY.test(pathname) ? (pathname.replace(/\/+$/, "") as `/${string}`) : null;
}

/** The AppID a console path is about (`/a/<AppID>/…`), or null on the pages about no one account. */
export function appIdOfPath(pathname: string): string | null {
  const m = /^\/a\/([^/]+)/.exec(pathname);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
}

/**
 * The page of another account matching the one shown (the switcher's target): the same section
 * and setup step, but a message, a follower or a rule belongs to one account only, so those open
 * the other account's list instead.
 */
export function samePageOf(pathname: string, appId: string): string {
  const rest = pathname.replace(/^\/a\/[^/]+/, "");
  if (!pathname.startsWith("/a/")) return accountPath(appId);
  // A message, a follower or a rule (but not the new-rule form) belongs to one account only.
  const sub = rest.startsWith("/messages/") ? "/messages" : /^\/rules\/(?!new\/?$)/.test(rest) ? "/rules" : rest;
  return accountPath(appId, sub.replace(/\/+$/, "") as "" | `/${string}`);
}
