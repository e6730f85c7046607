"use server";

import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth/auth";
import { fmt } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";

// Signing in is the one action that cannot require a session. It reveals nothing about which
// field was wrong; the throttle (5 failures per e-mail and IP in 15 minutes) is stated plainly.

export type LoginState = { error?: string; email?: string } | undefined;

/** Only the path of the requested page: the host is dropped, so it can never lead off-site. */
function safeCallback(value: FormDataEntryValue | null): string {
  if (typeof value !== "string") return "/";
  try {
    const url = new URL(value, "http://local");
    const path = url.pathname + url.search;
    return path.startsWith("/login") || path.startsWith("//") ? "/" : path;
  } catch {
    return "/";
  }
}

export async function login(_prev: LoginState, formData: FormData): Promise<LoginState> {
  const { t } = await getI18n();
  const email = String(formData.get("email") ?? "");
  try {
    await signIn("credentials", {
      email,
      password: String(formData.get("password") ?? ""),
      redirectTo: safeCallback(formData.get("callbackUrl")),
    });
  } catch (error) {
    if (error instanceof AuthError) {
      const e = error as AuthError & { code?: string; retryAfterMs?: number };
      if (e.code === "throttled") {
        return { email, error: fmt(t.login.throttled, { minutes: Math.max(1, Math.ceil((e.retryAfterMs ?? 60_000) / 60_000)) }) };
      }
      if (e.code === "busy") return { email, error: t.login.busy };
      if (e.type === "CredentialsSignin") return { email, error: t.login.invalid };
      return { email, error: t.common.error };
    }
    throw error; // the redirect after a successful sign-in
  }
  return undefined;
}
