import Link from "next/link";
import { AccountSwitch } from "@/components/account-switch";
import { LanguageSwitch } from "@/components/language-switch";
import { Logo } from "@/components/logo";
import { MobileNav } from "@/components/mobile-nav";
import { NavLinks, type NavItem } from "@/components/nav-links";
import { Badge } from "@/components/ui/badge";
import { listVisibleAccounts, requireUser } from "@/lib/auth/require-user";
import { getI18n } from "@/lib/i18n/server";
import { signOutAction } from "./actions";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const { t, locale } = await getI18n();
  const accounts = await listVisibleAccounts(user);
  const admin = user.role === "admin";
  const first = accounts[0]?.appId ?? null;
  const a = t.accounts;
  const accountNames = accounts.length > 1 ? Object.fromEntries(accounts.map((x) => [x.appId, x.displayName ?? x.appId])) : undefined;
  // The pages of one account open the account shown (or the first); the others are about all of them.
  const items: NavItem[] = [
    { href: "/", label: accounts.length > 1 ? a.nav.allAccounts : t.nav.overview, icon: "home" },
    { href: "", label: a.nav.accountOverview, icon: "account", account: true },
    { href: "/inbox", label: t.inbox.nav, icon: "inbox", account: true },
    { href: "/messages", label: t.nav.messages, icon: "messages", account: true },
    { href: "/rules", label: t.rules.nav, icon: "rules", account: true },
    { href: "/menu", label: t.customMenu.nav, icon: "menu", account: true },
    { href: "/settings", label: t.nav.setup, icon: "plug", account: true },
    { href: "/token", label: t.nav.token, icon: "key", account: true },
    ...(admin
      ? ([
          { href: "/api-keys", label: a.nav.apiKeys, icon: "lock" },
          { href: "/users", label: t.nav.users, icon: "users" },
        ] as const)
      : []),
  ];
  const signOutButton = (
    <form action={signOutAction}>
      <button
        type="submit"
        className="rounded-md px-2 py-1 text-xs font-medium text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:outline-2 focus-visible:outline-emerald-600"
      >
        {t.nav.signOut}
      </button>
    </form>
  );
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:shadow"
      >
        {t.nav.main}
      </a>
      <aside className="hidden w-60 shrink-0 border-r border-slate-200 bg-white lg:block">
        <div className="sticky top-0 flex h-screen flex-col">
          <Link href="/" className="flex h-14 items-center gap-2.5 px-5 focus-visible:outline-2 focus-visible:outline-emerald-600">
            <Logo className="size-7" />
            <span className="text-[15px] font-semibold tracking-tight">mpdesk</span>
          </Link>
          <nav aria-label={t.nav.main} className="flex-1 overflow-y-auto px-3 py-4">
            <NavLinks items={items} firstAppId={first} accountNames={accountNames} />
          </nav>
          <div className="border-t border-slate-200 px-4 py-3">
            <p className="truncate text-sm font-medium text-slate-800" title={user.email}>
              {user.email}
            </p>
            <div className="mt-1 flex items-center justify-between">
              <Badge tone={user.role === "admin" ? "green" : "neutral"}>{t.nav.roles[user.role]}</Badge>
              {signOutButton}
            </div>
            <Link href="/password" className="mt-1 inline-block text-xs text-slate-500 hover:text-slate-800 hover:underline">
              {t.nav.changePassword}
            </Link>
          </div>
        </div>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-10 flex h-14 items-center gap-3 border-b border-slate-200 bg-white/85 px-4 backdrop-blur sm:px-6 lg:px-8">
          <MobileNav items={items} firstAppId={first} accountNames={accountNames} label={t.nav.menu} closeLabel={t.common.close} />
          <Link href="/" className="flex items-center gap-2 lg:hidden">
            <Logo className="size-6" />
            <span className="font-semibold">mpdesk</span>
          </Link>
          <div className="ml-auto flex items-center gap-3">
            {accounts.length > 1 ? (
              <AccountSwitch
                accounts={accounts.map(({ appId, displayName }) => ({ appId, displayName }))}
                labels={{ label: t.nav.account, all: a.nav.allAccounts, add: admin ? a.add.action : null }}
                addHref="/accounts/new"
              />
            ) : accounts[0] ? (
              <span className="hidden items-center gap-2 text-xs text-slate-500 sm:flex">
                {t.nav.account}
                {accounts[0].displayName ? <span className="font-medium text-slate-800">{accounts[0].displayName}</span> : null}
                <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-slate-700">{accounts[0].appId}</code>
              </span>
            ) : (
              <Link href="/" className="hidden text-xs font-medium text-amber-700 hover:underline sm:inline">
                {t.nav.noAccount}
              </Link>
            )}
            <LanguageSwitch current={locale} label={t.nav.language} />
            <Link href="/password" className="text-xs text-slate-500 hover:text-slate-800 lg:hidden">
              {t.nav.changePassword}
            </Link>
            <div className="lg:hidden">{signOutButton}</div>
          </div>
        </header>
        <main id="main" className="mx-auto w-full max-w-6xl px-4 py-8 sm:px-6 lg:px-8">
          {children}
        </main>
      </div>
    </div>
  );
}
