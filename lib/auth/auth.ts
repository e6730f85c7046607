import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { authConfig } from "../../auth.config";
import { getPrisma } from "../db";
import { sourceIpOf } from "../http/read-body";
import { authenticateUser } from "./authenticate-user";

/** Too many failures for this e-mail from this address; `code` reaches the sign-in form. */
export class ThrottledSignin extends CredentialsSignin {
  code = "throttled";
  constructor(public readonly retryAfterMs: number) {
    super();
  }
}

const ZCredentials = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(1024) });

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  ...authConfig(),
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const parsed = ZCredentials.safeParse(credentials);
        if (!parsed.success) return null;
        const ip = sourceIpOf(request.headers) ?? "unknown";
        const result = await authenticateUser(getPrisma(), { ...parsed.data, ip });
        if (result.ok) return { id: result.user.id, email: result.user.email, sessionVersion: result.user.sessionVersion };
        if (result.reason === "throttled") throw new ThrottledSignin(result.retryAfterMs);
        return null;
      },
    }),
  ],
}));
