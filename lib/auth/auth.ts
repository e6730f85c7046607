import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { authConfig } from "../../auth.config";
import { getPrisma } from "../db";
import { getEnv } from "../env";
import { clientIpOf } from "../http/client-ip";
import { authenticateUser } from "./authenticate-user";
import { endSessions } from "./manage-users";

/** Too many sign-ins are being checked right now; `code` reaches the sign-in form ("try again"). */
export class BusySignin extends CredentialsSignin {
  code = "busy";
}

/** Too many failures for this e-mail from this address; `code` reaches the sign-in form. */
export class ThrottledSignin extends CredentialsSignin {
  code = "throttled";
  constructor(public readonly retryAfterMs: number) {
    super();
  }
}

// A refused sign-in (busy, or throttled) is answered after this delay. It costs the server a timer,
// not CPU, and it slows a flooding client to about one attempt a second per connection: answered at
// once, 24 flooding clients came back about 150 times a second, and their refusals alone kept the
// event loop the callback shares busy enough to multiply its latency.
export const REFUSAL_DELAY_MS = 1_000;
const refusalDelay = () => new Promise((resolve) => setTimeout(resolve, REFUSAL_DELAY_MS));

const ZCredentials = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(1024) });

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  ...authConfig(),
  events: {
    // Sign-out ends the session on the server, not only in this browser: the JWT stays valid
    // until it expires, so the user's session_version moves on and requireUser() refuses it.
    // Only when the token is current, so a stale cookie cannot end the user's newer sessions.
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (token?.sub && typeof token.sv === "number") await endSessions(getPrisma(), token.sub, token.sv);
    },
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const parsed = ZCredentials.safeParse(credentials);
        if (!parsed.success) return null;
        const ip = clientIpOf(request.headers, getEnv().trustedProxies);
        const result = await authenticateUser(getPrisma(), { ...parsed.data, ip });
        if (result.ok) return { id: result.user.id, email: result.user.email, sessionVersion: result.user.sessionVersion };
        if (result.reason === "throttled" || result.reason === "busy") await refusalDelay();
        if (result.reason === "throttled") throw new ThrottledSignin(result.retryAfterMs);
        if (result.reason === "busy") throw new BusySignin();
        return null;
      },
    }),
  ],
}));
