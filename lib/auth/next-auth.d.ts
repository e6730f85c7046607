import type { DefaultSession } from "next-auth";

// The session's own fields, typed once through next-auth's module augmentation instead of casts
// where they are read. `sv` is the user's session_version when the session was issued: a
// session whose sv differs from the database's has ended (sign-out, password change or reset).

declare module "next-auth" {
  interface Session {
    sv: number;
    user: { id: string } & DefaultSession["user"];
  }
  interface User {
    sessionVersion?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    sv?: number;
  }
}
