import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { listConsoleAccounts, type ConsoleAccount } from "../accounts/console-account";
import { AppError, errorResponse } from "../app-error";
import { getPrisma } from "../db";
import { accountRoles, roleAllows, type AccountRole } from "./account-access";
import { auth } from "./auth";

// The one access check. Every page, server action and protected route handler calls it on the
// server, whatever the proxy did. The role comes from the database, not the cookie, so a
// demotion or removal takes effect on the next request; a password reset (session_version)
// ends the sessions issued before it, and so do sign-out and a change of one's own password.

export type Role = "admin" | "viewer";
export type SessionUser = { id: string; email: string; role: Role };

type SessionState = { user: SessionUser } | { user: null; stale: boolean };

// Memoised for one server render (React's cache): a page under /a/<AppID>/ checks in each of its
// layouts and in the page itself, and those checks share one session read and one account list.
// Server actions and route handlers are not renders, so they always read afresh.
const resolveSession = cache(async (): Promise<SessionState> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return { user: null, stale: false };
  const user = await getPrisma().user.findUnique({ where: { id }, select: { id: true, email: true, role: true, sessionVersion: true } });
  if (!user || user.sessionVersion !== session!.sv) return { user: null, stale: true };
  return { user: { id: user.id, email: user.email, role: user.role } };
});

/** The signed-in user, or null: for /login, which must not redirect to itself. */
export async function getSessionUser(): Promise<SessionUser | null> {
  return (await resolveSession()).user;
}

/** Signed out → redirect to /login; signed in without `role` → AppError FORBIDDEN. */
export async function requireUser(opts: { role?: Role } = {}): Promise<SessionUser> {
  const state = await resolveSession();
  if (!state.user) redirect(state.stale ? "/login?expired=1" : "/login");
  const user = state.user;
  if (opts.role === "admin" && user.role !== "admin") throw new AppError("FORBIDDEN", { message: "forbidden" });
  return user;
}

/**
 * For route handlers, which answer data to a script, not a page to a browser: signed out (or a
 * session that has ended) → 401 `{"error":"unauthorized"}`, signed in without `role` → 403
 * `{"error":"forbidden"}`, instead of a redirect to the sign-in page. Server actions use
 * adminAction()/userAction() (./server-action.ts).
 */
export async function requireUserForRoute(opts: { role?: Role } = {}): Promise<SessionUser | Response> {
  const { user } = await resolveSession();
  const headers = { "cache-control": "no-store" };
  if (!user) return errorResponse(new AppError("UNAUTHORIZED"), headers);
  if (opts.role === "admin" && user.role !== "admin") return errorResponse(new AppError("FORBIDDEN"), headers);
  return user;
}

/** A page, action or route about one account, for a user allowed to see it. */
export type AccountContext = {
  user: SessionUser;
  account: ConsoleAccount;
  role: AccountRole;
  /** Every account this user may see, oldest first: for the switcher. */
  accounts: ConsoleAccount[];
};

type AccountLookup = { ok: true; context: AccountContext } | { ok: false; code: "NOT_FOUND" | "FORBIDDEN" };

/** The accounts a user may see, with the user's role on each; keyed by primitives, so one render reads them once. */
const visibleAccounts = cache(async (userId: string, role: Role) => {
  const roles = await accountRoles({ id: userId, role });
  return { roles, accounts: await listConsoleAccounts(roles) };
});

/** The account by that AppID (else the user's first) if the user may see it with `needed`. */
export async function lookUpAccount(user: SessionUser, appId: string | null | undefined, needed: AccountRole): Promise<AccountLookup> {
  const { roles, accounts } = await visibleAccounts(user.id, user.role);
  const account = appId ? accounts.find((a) => a.appId === appId) : accounts[0];
  // An account one may not see answers exactly like one that does not exist: its AppID is not confirmed.
  if (!account) return { ok: false, code: "NOT_FOUND" };
  const role = roles.get(account.id)!;
  if (!roleAllows(role, needed)) return { ok: false, code: "FORBIDDEN" };
  return { ok: true, context: { user, account, role, accounts } };
}

/**
 * For pages under /a/<AppID>/: signed out → /login; an account the user may not see (or none by
 * that AppID) → notFound(); seen but without `role` → AppError FORBIDDEN.
 */
export async function requireAccount(appId: string, opts: { role?: AccountRole } = {}): Promise<AccountContext> {
  const user = await requireUser();
  const found = await lookUpAccount(user, appId, opts.role ?? "viewer");
  if (found.ok) return found.context;
  if (found.code === "NOT_FOUND") notFound();
  throw new AppError("FORBIDDEN", { message: "forbidden" });
}

/**
 * For route handlers about one account (`?account=<AppID>`, else the user's first account):
 * 401 signed out, 404 `{"error":"not_found"}` for an account the user may not see, 403 without `role`.
 */
export async function requireAccountForRoute(appId: string | null | undefined, opts: { role?: AccountRole } = {}): Promise<AccountContext | Response> {
  const user = await requireUserForRoute();
  if (user instanceof Response) return user;
  const found = await lookUpAccount(user, appId, opts.role ?? "viewer");
  return found.ok ? found.context : errorResponse(new AppError(found.code), { "cache-control": "no-store" });
}

/** The accounts a user may see, oldest first. */
export async function listVisibleAccounts(user: SessionUser): Promise<ConsoleAccount[]> {
  return (await visibleAccounts(user.id, user.role)).accounts;
}
