import type { Metadata } from "next";
import Link from "next/link";
import { LiveRefresh } from "@/components/live-refresh";
import { MessagesChart, typeColor } from "@/components/messages-chart";
import { StatusDot } from "@/components/ui/badge";
import { Callout } from "@/components/ui/callout";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableFooter, TableRow } from "@/components/ui/table";
import { accountApiPath, accountPath } from "@/lib/accounts/account-path";
import { firstStepNotDone, loadSetupProgress } from "@/lib/accounts/setup-steps";
import { requireAccount } from "@/lib/auth/require-user";
import { getCallbackRuntime } from "@/lib/callback/callback-runtime";
import { getCallbackStatus } from "@/lib/callback/callback-status";
import { getPool, getPrisma } from "@/lib/db";
import { fmt, formatDateTime, formatNumber, formatRelative } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { getDailyCounts } from "@/lib/messages/message-stats";
import { filtersToSearch } from "@/lib/messages/message-filters";
import { getQuarantineSummary } from "@/lib/messages/quarantine";
import { ownValue } from "@/lib/own-value";
import { getTokenStatus } from "@/lib/tokens";
import { TokenStatusCard } from "@/components/token-status-card";

export const metadata: Metadata = { title: "Overview" };

export default async function AccountOverviewPage({ params }: { params: Promise<{ appid: string }> }) {
  const { account, user } = await requireAccount((await params).appid);
  const { t, locale, tz } = await getI18n();
  const o = t.overview;
  const at = (sub: "" | `/${string}`, search?: string) => accountPath(account.appId, sub, search);
  const [status, daily, spool, token, quarantine, unreadable] = await Promise.all([
    getCallbackStatus(getPool(), account.id),
    getDailyCounts(getPool(), account.id, tz),
    getCallbackRuntime()
      .store.spoolSize()
      .catch(() => 0),
    getTokenStatus(account.id),
    getQuarantineSummary(getPool(), { accountId: account.id, withUnowned: user.role === "admin" }),
    getCallbackRuntime()
      .store.unreadableCount()
      .catch(() => 0),
  ]);
  const quarantineClass = (sqlstate: string | null) => {
    const cls = sqlstate?.slice(0, 2);
    return cls === "22" || cls === "23" || cls === "54" ? o.quarantineClass[cls] : o.quarantineClass.other;
  };
  const typeLabels = t.messages.types as Record<string, string>;
  const max = Math.max(0, ...daily.days.map((_, i) => daily.series.reduce((sum, s) => sum + s.values[i]!, 0)));
  const when = (d: Date | null) => (d ? formatRelative(d, t) : t.common.never);
  const exact = (d: Date | null) => (d ? formatDateTime(d, locale, tz, { seconds: true }) : undefined);

  const stats: Array<{ label: string; value: string; title?: string; tone: "green" | "amber" | "red" | "neutral"; hint?: string; href?: string }> = [
    {
      label: o.lastMessage,
      value: when(status.lastMessageAt),
      title: exact(status.lastMessageAt),
      tone: status.lastMessageAt ? "green" : "neutral",
      href: at("/messages"),
    },
    {
      label: o.lastVerification,
      value: when(status.lastVerifiedAt),
      title: exact(status.lastVerifiedAt),
      tone: status.lastVerifiedAt ? "green" : "amber",
      href: at("/settings/server"),
    },
    { label: o.refused24h, value: formatNumber(status.refused24h, locale), tone: status.refused24h ? "amber" : "green", hint: o.refusedHint },
    { label: o.spool, value: formatNumber(spool, locale), tone: spool ? "amber" : "green", hint: o.spoolHint },
  ];

  return (
    <>
      <PageHeader
        title={o.title}
        description={o.subtitle}
        actions={
          <LiveRefresh src={accountApiPath("/api/live", account.appId, "?scope=callback")} version={`${account.id}|${status.version}`} label={t.common.live} />
        }
      />
      {!status.lastVerifiedAt ? (
        <Callout tone="warning" className="mb-6">
          {o.setupIncomplete} <Link href={at(firstStepNotDone(await loadSetupProgress(getPrisma(), getPool(), account.id)))}>{o.continueSetup} →</Link>
        </Callout>
      ) : null}
      <section aria-label={o.health}>
        <h2 className="sr-only">{o.health}</h2>
        <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {stats.map((s) => {
            const body = (
              <>
                <dt className="flex items-center gap-2 text-sm text-slate-500">
                  <StatusDot tone={s.tone} />
                  {s.label}
                </dt>
                <dd className="mt-2 text-2xl font-semibold tracking-tight text-slate-900" title={s.title}>
                  {s.value}
                </dd>
                {s.hint ? (
                  <dd className="mt-1 text-xs leading-relaxed text-slate-500">{s.hint}</dd>
                ) : s.title ? (
                  <dd className="mt-1 text-xs text-slate-500 tabular-nums">{s.title}</dd>
                ) : null}
              </>
            );
            return (
              <div key={s.label} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
                {s.href ? (
                  <Link href={s.href} className="block focus-visible:outline-2 focus-visible:outline-emerald-600">
                    {body}
                  </Link>
                ) : (
                  body
                )}
              </div>
            );
          })}
        </dl>
      </section>

      <div className="mt-6 grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <Card className="lg:self-start">
          <CardHeader
            title={o.chartTitle}
            description={daily.total ? fmt(o.chartSummary, { total: formatNumber(daily.total, locale), max: formatNumber(max, locale) }) : undefined}
          />
          <CardBody>
            {daily.total ? (
              <MessagesChart data={daily} summary={fmt(o.chartSummary, { total: daily.total, max })} labels={typeLabels} otherLabel={o.other} locale={locale} />
            ) : (
              <p className="py-12 text-center text-sm text-slate-500">{o.noData}</p>
            )}
          </CardBody>
        </Card>
        <div className="space-y-6">
          <TokenStatusCard status={token} dict={t} locale={locale} tz={tz} link={at("/token")} />
          <Card>
            <CardHeader
              title={
                <span className="flex items-center gap-2">
                  <StatusDot tone={quarantine.total || unreadable ? "red" : "green"} />
                  {o.quarantineTitle}
                  <span className="tabular-nums" data-testid="quarantine-count">
                    {formatNumber(quarantine.total, locale)}
                  </span>
                </span>
              }
              description={o.quarantineHint}
            />
            <CardBody className="space-y-2 text-sm">
              {quarantine.reasons.length ? (
                <ul className="space-y-2">
                  {quarantine.reasons.map((r) => (
                    <li key={`${r.sqlstate}|${r.reason}`} className="flex items-start justify-between gap-3">
                      <span className="min-w-0">
                        <span className="font-medium text-slate-800">{quarantineClass(r.sqlstate)}</span>
                        {r.sqlstate ? <span className="ml-1 font-mono text-xs text-slate-500">{r.sqlstate}</span> : null}
                        <span className="block break-words text-xs text-slate-500">{r.reason}</span>
                      </span>
                      <span className="font-medium tabular-nums text-slate-900">{formatNumber(r.count, locale)}</span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-slate-500">{o.quarantineNone}</p>
              )}
              {unreadable ? <p className="text-xs text-red-700">{fmt(o.quarantineUnreadable, { count: formatNumber(unreadable, locale) })}</p> : null}
            </CardBody>
          </Card>
          <Card>
            <CardHeader id="counts-title" title={o.countsTitle} />
            <CardBody className="p-0">
              <Table density="compact" edge={5} aria-labelledby="counts-title">
                <TableBody>
                  {daily.series.map(({ type: ty, total }) => (
                    <TableRow key={ty}>
                      <TableCell>
                        <Link
                          href={at("/messages", filtersToSearch({ type: ty }))}
                          className="inline-flex items-center gap-2 text-slate-700 hover:text-emerald-700"
                        >
                          <span aria-hidden className="size-2.5 rounded-sm" style={{ background: typeColor(ty) }} />
                          {ownValue(typeLabels, ty) ?? ty}
                        </Link>
                      </TableCell>
                      <TableCell className="text-right font-medium tabular-nums text-slate-900">{formatNumber(total, locale)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
                <TableFooter>
                  <TableRow>
                    <TableCell className="font-medium text-slate-700">{o.total}</TableCell>
                    <TableCell className="text-right font-semibold tabular-nums">{formatNumber(daily.total, locale)}</TableCell>
                  </TableRow>
                </TableFooter>
              </Table>
            </CardBody>
          </Card>
        </div>
      </div>
    </>
  );
}
