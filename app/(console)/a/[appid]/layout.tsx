import Link from "next/link";
import { accountPath } from "@/lib/accounts/account-path";
import { requireAccount } from "@/lib/auth/require-user";
import { getI18n } from "@/lib/i18n/server";

// Above the loading boundary of the account's pages: an account the user may not see answers 404
// before anything streams. The line names the account every page below shows.
export default async function AccountLayout({ children, params }: { children: React.ReactNode; params: Promise<{ appid: string }> }) {
  const { account, role } = await requireAccount((await params).appid);
  const { t } = await getI18n();
  const a = t.accounts;
  return (
    <>
      <p data-testid="current-account" className="mb-3 flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-slate-500">
        <span>{a.showing}</span>
        {account.displayName ? <span className="font-medium text-slate-900">{account.displayName}</span> : null}
        <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">{account.appId}</code>
        {role === "admin" ? (
          <Link href={accountPath(account.appId, "/manage")} className="text-xs font-medium text-emerald-700 hover:underline">
            {a.manage.link}
          </Link>
        ) : null}
      </p>
      {children}
    </>
  );
}
