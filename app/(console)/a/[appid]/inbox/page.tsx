import type { Metadata } from "next";
import Link from "next/link";
import { LiveRefresh } from "@/components/live-refresh";
import { PagerLinks } from "@/components/pager-links";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { accountApiPath, accountPath } from "@/lib/accounts/account-path";
import { requireAccount } from "@/lib/auth/require-user";
import { getPool } from "@/lib/db";
import { fmt, formatWhen } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { listInbox } from "@/lib/inbox/list-inbox";
import { getNewestCursor } from "@/lib/messages/list-messages";
import { filtersToSearch, parseMessageFilters, parsePageCursor } from "@/lib/messages/message-filters";
import { Countdown } from "./countdown";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t.inbox.title };
}

export default async function InboxPage({
  params,
  searchParams,
}: {
  params: Promise<{ appid: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { account, user } = await requireAccount((await params).appid);
  const { before } = parsePageCursor(await searchParams);
  const { t, locale, tz } = await getI18n();
  const ib = t.inbox;
  const db = getPool();
  // The live check is the message log's: any new row of the account, inbound or a reply, changes
  // the newest cursor, and the list is read again.
  const noFilters = parseMessageFilters(new URLSearchParams());
  const [{ items, older }, newest] = await Promise.all([
    listInbox(db, { accountId: account.id, userId: user.id, before }),
    getNewestCursor(db, { accountId: account.id, filters: noFilters, tz }),
  ]);
  const types = t.messages.types as Record<string, string>;

  return (
    <div>
      <PageHeader
        title={ib.title}
        description={ib.subtitle}
        actions={
          <LiveRefresh
            src={accountApiPath("/api/live", account.appId, filtersToSearch(noFilters, { scope: "messages" }))}
            version={`${account.id}|${newest}`}
            label={t.common.live}
          />
        }
      />
      <div className="rounded-xl border border-slate-200 bg-white shadow-sm">
        {!items.length ? (
          <EmptyState title={ib.empty} />
        ) : (
          <Table edge={5}>
            <TableHeader className="border-b border-slate-200 bg-slate-50/60">
              <TableRow>
                <TableHead>{ib.follower}</TableHead>
                <TableHead>{ib.lastMessage}</TableHead>
                <TableHead className="text-right">{ib.unread}</TableHead>
                <TableHead className="text-right">{ib.timeLeft}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((it) => {
                const href = accountPath(account.appId, `/messages/followers/${encodeURIComponent(it.openId)}`);
                return (
                  <TableRow key={it.openId} data-testid="inbox-row" data-openid={it.openId}>
                    <TableCell className="max-w-[16rem]">
                      <Link
                        href={href}
                        aria-label={`${ib.open}: ${it.openId}`}
                        className="block truncate font-mono text-xs font-medium text-emerald-700 hover:underline"
                      >
                        {it.openId}
                      </Link>
                      <span className="text-xs text-slate-500">{fmt(ib.waitingSince, { when: formatWhen(it.lastAt, locale, tz) })}</span>
                    </TableCell>
                    <TableCell className="max-w-[24rem]">
                      <Link href={href} className={it.unread ? "block truncate font-medium text-slate-900" : "block truncate text-slate-600"}>
                        {it.preview ?? `[${types[it.lastType] ?? it.lastType}]`}
                      </Link>
                    </TableCell>
                    <TableCell className="text-right">
                      {it.unread ? (
                        <Badge tone="green">
                          <span data-testid="inbox-unread">{fmt(ib.unreadCount, { n: it.unread })}</span>
                        </Badge>
                      ) : (
                        <span className="text-xs text-slate-400" data-testid="inbox-unread">
                          {fmt(ib.unreadCount, { n: 0 })}
                        </span>
                      )}
                    </TableCell>
                    <TableCell className="text-right">
                      <Countdown until={it.until.toISOString()} testId="inbox-left" className="font-mono tabular-nums text-slate-800" />
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
        {before || older ? (
          <nav aria-label="pagination" className="flex justify-end border-t border-slate-200 px-4 py-3 text-sm">
            <PagerLinks
              newest={before ? accountPath(account.appId, "/inbox") : null}
              older={older ? accountPath(account.appId, "/inbox", `?before=${encodeURIComponent(older)}`) : null}
              t={t.messages}
            />
          </nav>
        ) : null}
      </div>
    </div>
  );
}
