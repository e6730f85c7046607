import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { LiveRefresh } from "@/components/live-refresh";
import { MessageTypeBadge } from "@/components/message-type-badge";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { PagerLinks } from "@/components/pager-links";
import { accountApiPath, accountPath } from "@/lib/accounts/account-path";
import { callbackUrlFor, publicBaseUrl } from "@/lib/accounts/server-url";
import { firstStepNotDone, loadSetupProgress } from "@/lib/accounts/setup-steps";
import { requireAccount } from "@/lib/auth/require-user";
import { getPool, getPrisma } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { fmt, formatDateTime, formatWhen } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { listMessages } from "@/lib/messages/list-messages";
import { filtersToSearch, hasFilters, parseMessageFilters, parsePageCursor } from "@/lib/messages/message-filters";
import { MessageFiltersForm } from "./message-filters-form";

export const metadata: Metadata = { title: "Messages" };

export default async function MessagesPage({
  params: route,
  searchParams,
}: {
  params: Promise<{ appid: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { account } = await requireAccount((await route).appid);
  const { t, locale, tz } = await getI18n();
  const m = t.messages;
  const params = await searchParams;
  const filters = parseMessageFilters(params);
  const cursor = parsePageCursor(params);
  const page = await listMessages(getPool(), { accountId: account.id, filters, cursor, tz });
  const at = (sub: "" | `/${string}`, search?: string) => accountPath(account.appId, sub, search);
  const firstPage = !cursor.before && !cursor.after;
  const filtered = hasFilters(filters);

  const header = (
    <PageHeader
      title={m.title}
      description={m.subtitle}
      actions={
        <>
          {firstPage ? (
            <LiveRefresh
              src={accountApiPath("/api/live", account.appId, filtersToSearch(filters, { scope: "messages" }))}
              version={`${account.id}|${page.items[0]?.cursor ?? null}`}
              label={t.common.live}
            />
          ) : null}
          <a
            href={accountApiPath("/api/messages/export", account.appId, filtersToSearch(filters, { format: "csv" }))}
            className={buttonClass("secondary", "sm")}
            title={m.exportHint}
            download
          >
            {m.exportCsv}
          </a>
          <a
            href={accountApiPath("/api/messages/export", account.appId, filtersToSearch(filters, { format: "ndjson" }))}
            className={buttonClass("secondary", "sm")}
            title={m.exportHint}
            download
          >
            {m.exportNdjson}
          </a>
        </>
      }
    />
  );

  if (!page.items.length && firstPage && !filtered) {
    const { base } = publicBaseUrl(getEnv().PUBLIC_URL, await headers());
    const url = callbackUrlFor(base, account.appId, account.isDefault);
    const next = firstStepNotDone(await loadSetupProgress(getPrisma(), getPool(), account.id));
    return (
      <>
        {header}
        <div className="rounded-xl border border-dashed border-slate-300 bg-white">
          <EmptyState
            title={m.empty.title}
            action={
              <Link href={at(next)} className={buttonClass("primary")}>
                {next === "/settings/server" ? m.empty.action : t.overview.continueSetup}
              </Link>
            }
          >
            <p>{m.empty.body}</p>
            <div className="mt-4 flex flex-wrap items-center justify-center gap-2">
              <code className="break-all rounded-lg bg-slate-100 px-3 py-1.5 font-mono text-sm text-slate-800">{url}</code>
              <CopyButton value={url} label={t.common.copy} copiedLabel={t.common.copied} />
            </div>
          </EmptyState>
        </div>
      </>
    );
  }

  const pageLink = (extra: Record<string, string>) => at("/messages", filtersToSearch(filters, extra));
  return (
    <>
      {header}
      <MessageFiltersForm filters={filters} t={m} action={at("/messages")} />
      <div className="mt-4 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
        {page.items.length ? (
          <Table className="min-w-[44rem]">
            <TableHeader className="border-b border-slate-200 bg-slate-50/70">
              <TableRow>
                <TableHead>{m.columns.time}</TableHead>
                <TableHead>{m.columns.type}</TableHead>
                <TableHead>{m.columns.follower}</TableHead>
                <TableHead>{m.columns.content}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.items.map((row) => {
                const follower = row.direction === "inbound" ? row.fromUser : row.toUser;
                return (
                  <TableRow key={row.id} className="group hover:bg-slate-50">
                    <TableCell className="whitespace-nowrap align-top">
                      <Link
                        href={at(`/messages/${row.id}`)}
                        className="text-slate-700 tabular-nums hover:text-emerald-700 hover:underline"
                        title={formatDateTime(row.receivedAt, locale, tz, { seconds: true })}
                      >
                        {formatWhen(row.receivedAt, locale, tz)}
                      </Link>
                    </TableCell>
                    <TableCell className="align-top">
                      <span className="inline-flex flex-wrap items-center gap-1">
                        <MessageTypeBadge msgType={row.msgType} event={row.event} t={m.types} />
                        {row.direction === "outbound" ? <Badge tone="amber">{m.outboundBadge}</Badge> : null}
                      </span>
                    </TableCell>
                    <TableCell className="max-w-[14rem] align-top">
                      <Link
                        href={at(`/messages/followers/${encodeURIComponent(follower)}`)}
                        className="block truncate font-mono text-xs text-slate-600 hover:text-emerald-700 hover:underline"
                        title={follower}
                      >
                        {follower}
                      </Link>
                    </TableCell>
                    <TableCell className="align-top">
                      <Link href={at(`/messages/${row.id}`)} className="line-clamp-2 break-all text-slate-800 hover:text-emerald-700">
                        {row.preview ?? <span className="text-slate-400">—</span>}
                      </Link>
                      <span className="mt-0.5 flex gap-1">
                        {row.encrypted ? <Badge tone="green">{m.encrypted}</Badge> : null}
                        {row.hasReply ? <Badge tone="blue">{m.replied}</Badge> : null}
                      </span>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        ) : (
          <EmptyState
            title={m.empty.noMatch}
            action={
              <Link href={at("/messages")} className={buttonClass("secondary")}>
                {m.empty.clear}
              </Link>
            }
          />
        )}
        <nav aria-label="pagination" className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 text-sm">
          <span className="text-slate-500">{fmt(m.pageInfo, { n: page.items.length })}</span>
          <PagerLinks
            newest={firstPage ? null : pageLink({})}
            newer={page.newer ? pageLink({ after: page.newer }) : null}
            older={page.older ? pageLink({ before: page.older }) : null}
            t={m}
          />
        </nav>
      </div>
    </>
  );
}
