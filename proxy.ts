import NextAuth from "next-auth";
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { authConfig } from "./auth.config";
import { legacyAccountSubPath } from "./lib/accounts/account-path";
import { newNonce, pageContentSecurityPolicy, strictTransportSecurity } from "./lib/http/security-headers";

// Sends signed-out visitors to /login before any page renders. An optimisation and a courtesy
// only: the pages, server actions and route handlers check the session themselves.
// It also gives each page its Content-Security-Policy with a fresh nonce.
const auth = NextAuth(() => authConfig()).auth as unknown as (request: NextRequest, event: NextFetchEvent) => Promise<Response>;

// Called with an API key, not a session (lib/tokens/authenticate-api-key.ts). The matcher cannot
// leave it out: /api/messages/export and /api/messages/<id>/raw below it are the console's.
const API_KEY_ROUTES = new Set(["/api/messages"]);

export default async function proxy(request: NextRequest, event: NextFetchEvent): Promise<Response> {
  const signedIn = API_KEY_ROUTES.has(request.nextUrl.pathname) ? NextResponse.next() : await auth(request, event);
  // A page from before the AppID was in the URL goes to the same page of the user's first account.
  const legacy = signedIn.headers.get("x-middleware-next") ? legacyAccountSubPath(request.nextUrl.pathname) : null;
  const response = legacy ? NextResponse.rewrite(new URL(`/a/first${legacy}${request.nextUrl.search}`, request.url)) : signedIn;
  if (!request.nextUrl.pathname.startsWith("/api/")) {
    const nonce = newNonce();
    const csp = pageContentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development" });
    if (response.headers.get("x-middleware-next")) {
      // Next reads the nonce from the request's CSP header when it renders the page.
      const headers = new Headers(request.headers);
      headers.set("content-security-policy", csp);
      NextResponse.next({ request: { headers } }).headers.forEach((value, key) => {
        if (key.startsWith("x-middleware-")) response.headers.set(key, value);
      });
    }
    response.headers.set("content-security-policy", csp);
  }
  const hsts = strictTransportSecurity(process.env.PUBLIC_URL);
  if (hsts) response.headers.set("strict-transport-security", hsts);
  return response;
}

export const config = {
  // Everything except the routes with their own access rules — the WeChat callback (signatures),
  // the token endpoint (API keys), the health check, next-auth's own routes — and assets, the icons in public/ included.
  matcher: ["/((?!api/wechat|api/token|api/health|api/auth|_next/static|_next/image|favicon.ico|icon.svg|apple-touch-icon.png).*)"],
};
