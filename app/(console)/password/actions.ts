"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth/auth";
import { changeOwnPassword, ZOwnPassword } from "@/lib/auth/manage-users";
import { type FormState, userAction } from "@/lib/auth/server-action";
import { getPrisma } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { clientIpOf } from "@/lib/http/client-ip";
import { fmt } from "@/lib/i18n";
import { log } from "@/lib/log";

export type PasswordState = FormState<"currentPassword" | "newPassword" | "confirmPassword">;

export const changePassword = userAction(
  {
    schema: ZOwnPassword,
    invalid: (t) => t.profile.errors.form,
    fields: ({ profile: { errors: e } }) => ({ currentPassword: e.required, newPassword: e.length, confirmPassword: e.mismatch }),
  },
  async ({ user, data, t }): Promise<PasswordState> => {
    const p = t.profile;
    const ip = clientIpOf(await headers(), getEnv().trustedProxies);
    const result = await changeOwnPassword(getPrisma(), user.id, { ...data, ip });
    if (!result.ok) {
      if (result.reason === "busy") return { ok: false, message: t.login.busy };
      if (result.reason === "throttled")
        return { ok: false, message: fmt(t.login.throttled, { minutes: Math.max(1, Math.ceil(result.retryAfterMs / 60_000)) }) };
      if (result.reason === "wrongCurrent") return { ok: false, message: p.errors.form, errors: { currentPassword: p.errors.current } };
      return { ok: false, message: t.common.error };
    }
    log.info("user.password_changed", { user: user.id });
    // Every session ended with the version bump; this one is issued afresh, through the ordinary
    // sign-in with the new password, so no other path can mint a session.
    try {
      await signIn("credentials", { email: result.email, password: data.newPassword, redirect: false });
    } catch (err) {
      if (err instanceof AuthError) return { ok: true, message: p.changedSignInAgain };
      throw err;
    }
    // A redirect, not a form state: re-rendering this request would still read the old cookie,
    // whose session has just ended. The redirected render gets the new one.
    redirect("/password?changed=1");
  },
);
