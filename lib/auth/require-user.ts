import { redirect } from "next/navigation";
import { AppError, errorResponse } from "../app-error";
import { getPrisma } from "../db";
import { auth } from "./auth";

// The one access check. Every page, server action and protected route handler calls it on the
// server, whatever the proxy did. The role comes from the database, not the cookie, so a
// demotion or removal takes effect on the next request; a password reset (session_version)
// ends the sessions issued before it, and so do sign-out and a change of one's own password.

export type Role = "admin" | "viewer";
export type SessionUser = { id: string; email: string; role: Role };

type SessionState = { user: SessionUser } | { user: null; stale: boolean };

async function resolveSession(): Promise<SessionState> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return { user: null, stale: false };
  const user = await getPrisma().user.findUnique({ where: { id }, select: { id: true, email: true, role: true, sessionVersion: true } });
  if (!user || user.sessionVersion !== session!.sv) return { user: null, stale: true };
  return { user: { id: user.id, email: user.email, role: user.role } };
}

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
