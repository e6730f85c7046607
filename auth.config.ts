import type { NextAuthConfig } from "next-auth";
import { getEnv } from "./lib/env";
import { errorFields, log } from "./lib/log";

// The part of the next-auth configuration the proxy shares with the server: no providers and
// no database here (next-learn's split). Built lazily, at the first request, so `next build`
// needs no environment.
//
// The proxy only redirects signed-out visitors early. It is not the access control: every page,
// server action and route handler checks the session itself (lib/auth/require-user.ts).

export const SESSION_MAX_AGE_S = 7 * 24 * 3600;

export function authConfig(): NextAuthConfig {
  const env = getEnv();
  return {
    secret: env.AUTH_SECRET,
    // `next start` behind a reverse proxy: the Host / X-Forwarded-* headers are the public origin.
    trustHost: true,
    // Secure cookies when the public URL is HTTPS; otherwise next-auth decides per request from
    // X-Forwarded-Proto, so a TLS-terminating proxy still gets them.
    useSecureCookies: env.PUBLIC_URL?.startsWith("https:") ? true : undefined,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/login" },
    providers: [],
    logger: {
      // A wrong password is an ordinary event with a clear message on the page, not a stack trace.
      error(error) {
        const type = (error as { type?: string }).type;
        if (type === "CredentialsSignin") return;
        log.error("auth.error", { type, ...errorFields(error) });
      },
      warn(code) {
        log.warn("auth.warn", { code });
      },
      debug() {},
    },
    callbacks: {
      authorized({ auth, request }) {
        const { pathname } = request.nextUrl;
        if (pathname === "/login" || auth?.user) return true;
        if (pathname.startsWith("/api/")) return Response.json({ error: "unauthorized" }, { status: 401 });
        return false; // → /login?callbackUrl=…
      },
      jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.sv = user.sessionVersion ?? 0;
        }
        return token;
      },
      session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.sub ?? "" }, sv: typeof token.sv === "number" ? token.sv : -1 };
      },
    },
  };
}
