import type { Metadata } from "next";
import Link from "next/link";
import { Callout } from "@/components/ui/callout";
import { cn } from "@/components/ui/cn";
import { LiveRefresh } from "@/components/live-refresh";
import { capabilityOf } from "@/lib/accounts/capabilities";
import { accountApiPath, accountMediaPath, accountPath } from "@/lib/accounts/account-path";
import { requireAccount } from "@/lib/auth/require-user";
import { getPool } from "@/lib/db";
import { findMediaByMediaIds } from "@/lib/media/media-queries";
import { ownValue } from "@/lib/own-value";
import { fmt, formatDateTime, formatWhen, type Dictionary, type Locale } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import type { MessageDetail } from "@/lib/messages/get-message";
import { listFollowerThread } from "@/lib/messages/list-follower-thread";
import { filtersToSearch, parsePageCursor } from "@/lib/messages/message-filters";
import { selectSendDetails, type SendDetail } from "@/lib/inbox/inbox-queries";
import { markThreadRead } from "@/lib/inbox/mark-thread-read";
import { getWindowMeter } from "@/lib/outbound/window-meter";
import { explainSendError } from "@/lib/outbound/explain-send-error";
import { Composer } from "./composer";
import { OutboundBubble } from "./outbound-bubble";
import { WindowMeter } from "./window-meter";
import { prettyXml } from "@/lib/messages/pretty-xml";

export const metadata: Metadata = { title: "Thread" };

function bubbleText(m: MessageDetail, t: Dictionary): string {
  const types = t.messages.types as Record<string, string>;
  return m.content ?? m.recognition ?? m.label ?? m.title ?? m.picUrl ?? m.mediaId ?? `[${ownValue(types, m.msgType) ?? m.msgType}]`;
}

function replyText(xml: string): string {
  return /<Content><!\[CDATA\[([\s\S]*?)\]\]><\/Content>/.exec(xml)?.[1] ?? prettyXml(xml);
}

/** A failed send's errcode in words, as the sender explained it when it failed. */
function failureOf(d: SendDetail | undefined, locale: Locale): string | null {
  return d?.status === "failed" ? explainSendError(d.errcode, d.errmsg ?? "")[locale] : null;
}

export default async function ThreadPage({
  params,
  searchParams,
}: {
  params: Promise<{ appid: string; openid: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { appid, openid } = await params;
  const { account, role, user } = await requireAccount(appid);
  const { t, locale, tz } = await getI18n();
  const th = t.thread;
  const openId = decodeURIComponent(openid);
  const { before } = parsePageCursor(await searchParams);
  const at = (sub: `/${string}`, search?: string) => accountPath(account.appId, sub, search);
  const db = getPool();
  const [thread, meter] = await Promise.all([listFollowerThread(db, { accountId: account.id, openId, before }), getWindowMeter(db, account.id, openId)]);
  const details = new Map(
    (
      await selectSendDetails(
        db,
        account.id,
        thread.items.filter((m) => m.direction === "outbound").map((m) => m.id),
      )
    ).map((d) => [d.id, d]),
  );
  // Sent images are drawn from the copy mpdesk kept when it put them on WeChat.
  const kept = await findMediaByMediaIds(
    db,
    account.id,
    thread.items.filter((m) => m.direction === "outbound" && m.msgType === "image" && m.mediaId).map((m) => m.mediaId!),
  );
  // A passive reply stored as its own outbound row is drawn there, not again under the message it answered.
  const answeredPassively = new Set([...details.values()].filter((d) => d.via === "passive" && d.inReplyTo).map((d) => d.inReplyTo!));
  // Opening the newest page of the thread is reading it (the inbox's unread counts are per user).
  if (!before) await markThreadRead(db, { userId: user.id, accountId: account.id, openId, throughId: thread.items.at(-1)?.id ?? null });
  const cs = capabilityOf(account.accountType, account.certified, "customerService");
  const when = (d: Date) => formatDateTime(d, locale, tz);
  const canSend = role === "admin";

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <Link href={at("/messages", filtersToSearch({ openid: openId }))} className="text-sm text-slate-500 hover:text-emerald-700">
            ← {t.message.back}
          </Link>
          <h1 className="mt-1 text-2xl font-semibold tracking-tight">{th.title}</h1>
          <p className="mt-1 break-all text-sm text-slate-500">{fmt(th.subtitle, { openid: openId })}</p>
        </div>
        {!before ? (
          <LiveRefresh
            src={accountApiPath("/api/live", account.appId, filtersToSearch({ openid: openId }, { scope: "messages" }))}
            version={`${account.id}|${thread.items.at(-1)?.cursor ?? null}`}
            label={t.common.live}
          />
        ) : null}
      </div>

      <div className="rounded-xl border border-slate-200 bg-slate-100/60 p-4 sm:p-6">
        {thread.earlier ? (
          <div className="mb-4 text-center">
            <Link
              href={at(`/messages/followers/${encodeURIComponent(openId)}`, `?before=${encodeURIComponent(thread.earlier)}`)}
              className="text-sm font-medium text-emerald-700 hover:underline"
            >
              ↑ {th.older}
            </Link>
          </div>
        ) : null}
        {!thread.items.length ? <p className="py-10 text-center text-sm text-slate-500">{th.empty}</p> : null}
        <ol className="space-y-3">
          {thread.items.map((m) => {
            const inbound = m.direction === "inbound";
            // A passive reply is also its own outbound row now (raw_xml is the reply): drawn once.
            if (m.msgType.toLowerCase() === "event") {
              return (
                <li key={m.id} className="flex justify-center">
                  <Link
                    href={at(`/messages/${m.id}`)}
                    className="rounded-full bg-white/80 px-3 py-1 text-xs text-slate-500 ring-1 ring-slate-200 hover:text-emerald-700"
                  >
                    {formatWhen(m.receivedAt, locale, tz)} · <code>{m.event}</code>
                    {m.eventKey ? <span className="text-slate-400"> {m.eventKey}</span> : null}
                  </Link>
                </li>
              );
            }
            if (!inbound) {
              return (
                <li key={m.id}>
                  <OutboundBubble
                    m={m}
                    detail={details.get(m.id)}
                    href={at(`/messages/${m.id}`)}
                    time={formatWhen(m.receivedAt, locale, tz)}
                    explanation={failureOf(details.get(m.id), locale)}
                    imageSrc={m.mediaId && kept.has(m.mediaId) ? accountMediaPath(account.appId, kept.get(m.mediaId)!.id) : null}
                    t={t.inbox.thread}
                  />
                </li>
              );
            }
            return (
              <li key={m.id} className="space-y-2">
                <div className={cn("flex", inbound ? "justify-start" : "justify-end")}>
                  <Link
                    href={at(`/messages/${m.id}`)}
                    className={cn(
                      "max-w-[80%] rounded-2xl px-4 py-2 text-sm shadow-sm ring-1 transition-colors",
                      inbound ? "rounded-tl-sm bg-white ring-slate-200 hover:ring-emerald-300" : "rounded-tr-sm bg-emerald-500 text-white ring-emerald-600",
                    )}
                  >
                    <span className="block whitespace-pre-wrap break-words">{bubbleText(m, t)}</span>
                    <span className={cn("mt-1 block text-[11px]", inbound ? "text-slate-400" : "text-emerald-50")}>{formatWhen(m.receivedAt, locale, tz)}</span>
                  </Link>
                </div>
                {m.replyXml && !answeredPassively.has(m.id) ? (
                  <div className="flex justify-end">
                    <div className="max-w-[80%] rounded-2xl rounded-tr-sm bg-emerald-500 px-4 py-2 text-sm text-white shadow-sm">
                      <span className="block whitespace-pre-wrap break-words">{replyText(m.replyXml)}</span>
                      <span className="mt-1 block text-[11px] text-emerald-50">{t.message.reply}</span>
                    </div>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
      </div>

      <div className="grid gap-4 lg:grid-cols-3">
        <div className="lg:col-span-2">
          {canSend ? (
            <Composer
              appId={account.appId}
              openId={openId}
              disabledReason={cs.state !== "yes" && cs.reason ? fmt(t.inbox.composer.disabled, { reason: t.setup.capability.reasons[cs.reason!] }) : null}
              t={t.inbox.composer}
              common={t.common}
            />
          ) : (
            <Callout tone="tip">{t.inbox.composer.viewerOnly}</Callout>
          )}
        </div>
        <WindowMeter meter={meter} t={t.inbox.meter} when={when} />
      </div>
    </div>
  );
}
