import type { Metadata } from "next";
import Link from "next/link";
import { LiveRefresh } from "@/components/live-refresh";
import { RefreshTokenForm } from "@/components/refresh-token-form";
import { TokenStatusCard } from "@/components/token-status-card";
import { Badge } from "@/components/ui/badge";
import { Callout } from "@/components/ui/callout";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { accountApiPath } from "@/lib/accounts/account-path";
import { requireAccount } from "@/lib/auth/require-user";
import { formatDateTime } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { getTokenStatus, listRefreshEvents } from "@/lib/tokens";

export const metadata: Metadata = { title: "API access" };

// The account's access_token and its refreshes. API keys, which may cover several accounts, have their own page (/api-keys).
export default async function TokenPage({ params }: { params: Promise<{ appid: string }> }) {
  const { account, role, user } = await requireAccount((await params).appid);
  const { t, locale, tz } = await getI18n();
  const k = t.token;
  const [status, events] = await Promise.all([getTokenStatus(account.id), listRefreshEvents(account.id, { limit: 50 })]);
  const admin = role === "admin";
  const when = (d: Date) => formatDateTime(d, locale, tz, { seconds: true });
  return (
    <>
      <PageHeader
        title={k.title}
        description={k.subtitle}
        actions={
          <LiveRefresh
            src={accountApiPath("/api/live", account.appId, "?scope=token")}
            version={`${account.id}|${events[0]?.id ?? null}`}
            label={t.common.live}
          />
        }
      />
      {!admin ? (
        <Callout tone="warning" className="mb-6">
          {t.common.readOnly}
        </Callout>
      ) : user.role === "admin" ? (
        <Callout tone="tip" className="mb-6">
          {t.accounts.token.keysMoved} <Link href="/api-keys">{t.accounts.nav.apiKeys} →</Link>
        </Callout>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
        <TokenStatusCard
          status={status}
          dict={t}
          locale={locale}
          tz={tz}
          action={admin ? <RefreshTokenForm appId={account.appId} intent="refresh" t={k} common={t.common} locale={locale} /> : null}
        />
        <Card>
          <CardHeader title={k.events} />
          <CardBody className="p-0">
            {events.length ? (
              <Table density="compact" edge={5} className="min-w-[36rem]" data-testid="refresh-events">
                <TableHeader className="border-b border-slate-100">
                  <TableRow>
                    <TableHead>{k.columns.time}</TableHead>
                    <TableHead>{k.columns.trigger}</TableHead>
                    <TableHead>{k.columns.endpoint}</TableHead>
                    <TableHead>{k.columns.outcome}</TableHead>
                    <TableHead className="text-right">{k.columns.latency}</TableHead>
                    <TableHead>{k.columns.instance}</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {events.map((e) => (
                    <TableRow key={e.id}>
                      <TableCell className="whitespace-nowrap tabular-nums text-slate-700">{when(e.createdAt)}</TableCell>
                      <TableCell>{k.triggers[e.trigger]}</TableCell>
                      <TableCell className="font-mono text-xs">{e.endpoint}</TableCell>
                      <TableCell>
                        {e.outcome === "success" ? (
                          <Badge tone="green">{k.outcomes.success}</Badge>
                        ) : (
                          <span className="inline-flex flex-wrap items-center gap-1">
                            <Badge tone="red">{k.outcomes.error}</Badge>
                            <span className="font-mono text-xs text-slate-600" title={e.errmsg ?? undefined}>
                              {e.errcode ?? e.errmsg}
                            </span>
                          </span>
                        )}
                      </TableCell>
                      <TableCell className="text-right tabular-nums">{e.latencyMs} ms</TableCell>
                      <TableCell className="max-w-[10rem] truncate font-mono text-xs text-slate-500" title={e.instance}>
                        {e.instance}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            ) : (
              <p className="px-5 py-8 text-center text-sm text-slate-500">{k.eventsEmpty}</p>
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
