import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LanguageSwitch } from "@/components/language-switch";
import { Logo } from "@/components/logo";
import { Callout } from "@/components/ui/callout";
import { getSessionUser } from "@/lib/auth/require-user";
import { fmt } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Login" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { t, locale } = await getI18n();
  if (await getSessionUser()) redirect("/");
  const params = await searchParams;
  const callbackUrl = typeof params.callbackUrl === "string" ? params.callbackUrl : "/";
  // next-auth's own sign-in endpoint redirects here with ?error=…&code=… (the form's action answers in place).
  const code = typeof params.code === "string" ? params.code : null;
  const initialError = params.error
    ? code === "busy"
      ? t.login.busy
      : code === "credentials"
        ? t.login.invalid
        : code === "throttled"
          ? fmt(t.login.throttled, { minutes: 15 })
          : t.common.error
    : undefined;
  return (
    <main className="flex min-h-screen flex-col bg-gradient-to-b from-emerald-50/60 to-slate-50">
      <div className="flex justify-end p-4">
        <LanguageSwitch current={locale} label={t.nav.language} />
      </div>
      <div className="flex flex-1 items-start justify-center px-4 pt-[8vh] pb-16">
        <div className="w-full max-w-sm">
          <div className="mb-8 flex flex-col items-center text-center">
            <Logo className="size-11" />
            <h1 className="mt-4 text-xl font-semibold tracking-tight text-slate-900">{t.login.title}</h1>
            <p className="mt-1 text-sm text-slate-500">{t.login.subtitle}</p>
          </div>
          <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
            {params.expired ? (
              <Callout tone="warning" className="mb-5">
                {t.login.sessionEnded}
              </Callout>
            ) : null}
            <LoginForm t={t.login} callbackUrl={callbackUrl} initialError={initialError} />
          </div>
          <p className="mt-6 text-center text-xs leading-relaxed text-slate-500">{t.login.firstStart}</p>
        </div>
      </div>
    </main>
  );
}
