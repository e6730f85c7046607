import type { Metadata } from "next";
import Link from "next/link";
import { Badge, type Tone } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Callout } from "@/components/ui/callout";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { accountPath } from "@/lib/accounts/account-path";
import { summarizeAccounts } from "@/lib/accounts/accounts-overview";
import { firstStepNotDone, loadSetupProgress } from "@/lib/accounts/setup-steps";
import { listVisibleAccounts, requireUser } from "@/lib/auth/require-user";
import { getPool, getPrisma } from "@/lib/db";
import { formatDateTime, formatNumber, formatRelative } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import type { TokenStatus } from "@/lib/tokens/types";

export const metadata: Metadata = { title: "Overview" };

const TOKEN_TONES: Record<TokenStatus["state"], Tone> = { none: "neutral", valid: "green", expired: "amber", error: "red" };

// Every account the reader may see, one row each; the account's own overview is /a/<AppID>.
export default async function OverviewPage() {
  const user = await requireUser();
  const { t, locale, tz } = await getI18n();
  const o = t.overview;
  const a = t.accounts;
  const admin = user.role === "admin";
  const accounts = await listVisibleAccounts(user);
  if (!accounts.length) {
    return (
      <>
        <PageHeader title={o.title} />
        <div className="rounded-xl border border-dashed border-slate-300 bg-white">
          {admin ? (
            <EmptyState
              title={o.noAccount.title}
              action={
                <Link href="/accounts/new" className={buttonClass("primary")}>
                  {o.noAccount.action} →
                </Link>
              }
            >
              {o.noAccount.body}
            </EmptyState>
          ) : (
            <EmptyState title={a.overview.noAccess.title}>{a.overview.noAccess.body}</EmptyState>
          )}
        </div>
      </>
    );
  }
  const summaries = new Map(
    (
      await summarizeAccounts(
        getPool(),
        accounts.map((x) => x.id),
      )
    ).map((s) => [s.accountId, s]),
  );
  // An account WeChat has not verified yet is still in setup: its badge leads to the step to take next.
  const nextStep = new Map(
    await Promise.all(
      accounts
        .filter((x) => !summaries.get(x.id)?.lastVerifiedAt)
        .map(async (x) => [x.id, firstStepNotDone(await loadSetupProgress(getPrisma(), getPool(), x.id))] as const),
    ),
  );
  const exact = (d: Date) => formatDateTime(d, locale, tz, { seconds: true });
  return (
    <>
      <PageHeader
        title={accounts.length > 1 ? a.overview.title : o.title}
        description={a.overview.subtitle}
        actions={
          admin ? (
            <Link href="/accounts/new" className={buttonClass("secondary", "sm")}>
              + {a.add.action}
            </Link>
          ) : null
        }
      />
      <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
        <Table className="min-w-[44rem]" aria-label={a.overview.title}>
          <TableHeader className="border-b border-slate-200 bg-slate-50/70">
            <TableRow>
              <TableHead>{a.overview.columns.account}</TableHead>
              <TableHead>{a.overview.columns.lastMessage}</TableHead>
              <TableHead>{a.overview.columns.verification}</TableHead>
              <TableHead>{a.overview.columns.token}</TableHead>
              <TableHead className="text-right">{a.overview.columns.messages24h}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {accounts.map((account) => {
              const s = summaries.get(account.id);
              return (
                <TableRow key={account.id} data-testid="account-row" className="hover:bg-slate-50">
                  <TableCell>
                    <Link href={accountPath(account.appId)} className="group block min-w-0 focus-visible:outline-2 focus-visible:outline-emerald-600">
                      <span
                        className={cn(
                          "block font-medium text-slate-900 group-hover:text-emerald-700 group-hover:underline",
                          !account.displayName && "font-mono text-[13px]",
                        )}
                      >
                        {account.displayName ?? account.appId}
                      </span>
                      {account.displayName ? <code className="block font-mono text-xs text-slate-500">{account.appId}</code> : null}
                    </Link>
                  </TableCell>
                  <TableCell className="whitespace-nowrap tabular-nums text-slate-700">
                    {s?.lastMessageAt ? <span title={exact(s.lastMessageAt)}>{formatRelative(s.lastMessageAt, t)}</span> : t.common.never}
                  </TableCell>
                  <TableCell>
                    {s?.lastVerifiedAt ? (
                      <span title={exact(s.lastVerifiedAt)}>
                        <Badge tone="green">{a.overview.verified}</Badge>
                      </span>
                    ) : (
                      <Link href={accountPath(account.appId, nextStep.get(account.id) ?? "/settings/server")}>
                        <Badge tone="amber">{a.overview.notVerified}</Badge>
                      </Link>
                    )}
                  </TableCell>
                  <TableCell>
                    <Badge tone={TOKEN_TONES[s?.tokenState ?? "none"]}>{t.token.states[s?.tokenState ?? "none"]}</Badge>
                  </TableCell>
                  <TableCell className="text-right font-medium tabular-nums text-slate-900">{formatNumber(s?.messages24h ?? 0, locale)}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>
      {accounts.length === 1 ? (
        <Callout tone="tip" className="mt-6">
          {a.overview.oneAccount} <Link href={accountPath(accounts[0]!.appId)}>{a.overview.openAccount} →</Link>
        </Callout>
      ) : null}
    </>
  );
}
