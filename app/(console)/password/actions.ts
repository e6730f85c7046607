"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth/auth";
import { changeOwnPassword, ZOwnPassword } from "@/lib/auth/manage-users";
import { requireUser } from "@/lib/auth/require-user";
import { getPrisma } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { clientIpOf } from "@/lib/http/client-ip";
import { fmt } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { log } from "@/lib/log";

export type PasswordState = { ok: boolean; message: string; errors?: { currentPassword?: string; newPassword?: string; confirmPassword?: string } } | null;

export async function changePassword(_prev: PasswordState, formData: FormData): Promise<PasswordState> {
  const { t } = await getI18n();
  const user = await requireUser();
  const p = t.profile;
  const parsed = ZOwnPassword.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const errors: NonNullable<PasswordState>["errors"] = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0]) as keyof typeof errors;
      errors[field] ??= field === "confirmPassword" ? p.errors.mismatch : field === "newPassword" ? p.errors.length : p.errors.required;
    }
    return { ok: false, message: p.errors.form, errors };
  }
  const ip = clientIpOf(await headers(), getEnv().trustedProxies);
  const result = await changeOwnPassword(getPrisma(), user.id, { ...parsed.data, ip });
  if (!result.ok) {
    if (result.reason === "busy") return { ok: false, message: t.login.busy };
    if (result.reason === "throttled") return { ok: false, message: fmt(t.login.throttled, { minutes: Math.max(1, Math.ceil(result.retryAfterMs / 60_000)) }) };
    if (result.reason === "wrongCurrent") return { ok: false, message: p.errors.form, errors: { currentPassword: p.errors.current } };
    return { ok: false, message: t.common.error };
  }
  log.info("user.password_changed", { user: user.id });
  // Every session ended with the version bump; this one is issued afresh, through the ordinary
  // sign-in with the new password, so no other path can mint a session.
  try {
    await signIn("credentials", { email: result.email, password: parsed.data.newPassword, redirect: false });
  } catch (err) {
    if (err instanceof AuthError) return { ok: true, message: p.changedSignInAgain };
    throw err;
  }
  // A redirect, not a form state: re-rendering this request would still read the old cookie,
  // whose session has just ended. The redirected render gets the new one.
  redirect("/password?changed=1");
}
