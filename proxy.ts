import NextAuth from "next-auth";
import { authConfig } from "./auth.config";

// Sends signed-out visitors to /login before any page renders. An optimisation and a courtesy
// only: the pages, server actions and route handlers check the session themselves.
export default NextAuth(() => authConfig()).auth;

export const config = {
  // Everything except the routes with their own access rules — the WeChat callback (signatures),
  // the token endpoint (API keys), the health check, next-auth's own routes — and assets, the icons in public/ included.
  matcher: ["/((?!api/wechat|api/token|api/health|api/auth|_next/static|_next/image|favicon.ico|icon.svg|apple-touch-icon.png).*)"],
};
