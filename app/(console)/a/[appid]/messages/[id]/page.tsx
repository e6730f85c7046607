import type { Metadata } from "next";
import Link from "next/link";
import { MessageTypeBadge } from "@/components/message-type-badge";
import { buttonClass } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/empty-state";
import { accountApiPath, accountPath } from "@/lib/accounts/account-path";
import { requireAccount } from "@/lib/auth/require-user";
import { getPool } from "@/lib/db";
import { fmt, formatDateTime, formatNumber } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { getMessage, type MessageDetail } from "@/lib/messages/get-message";
import { fitsPrettyXml, prettyXml } from "@/lib/messages/pretty-xml";

export const metadata: Metadata = { title: "Message" };

// Normalised columns under the names WeChat gives them in the XML.
const PROTOCOL_FIELDS: Array<[keyof MessageDetail, string]> = [
  ["msgType", "MsgType"],
  ["event", "Event"],
  ["eventKey", "EventKey"],
  ["fromUser", "FromUserName (OpenID)"],
  ["toUser", "ToUserName"],
  ["msgId", "MsgId"],
  ["createTime", "CreateTime"],
  ["content", "Content"],
  ["mediaId", "MediaId"],
  ["picUrl", "PicUrl"],
  ["format", "Format"],
  ["recognition", "Recognition"],
  ["thumbMediaId", "ThumbMediaId"],
  ["locationX", "Location_X / Latitude"],
  ["locationY", "Location_Y / Longitude"],
  ["scale", "Scale"],
  ["label", "Label"],
  ["title", "Title"],
  ["description", "Description"],
  ["url", "Url"],
];
const NORMALISED_KEYS = new Set([
  "ToUserName",
  "FromUserName",
  "CreateTime",
  "MsgType",
  "MsgId",
  "MsgID",
  "Event",
  "EventKey",
  "Content",
  "MediaId",
  "PicUrl",
  "Format",
  "Recognition",
  "ThumbMediaId",
  "Location_X",
  "Location_Y",
  "Latitude",
  "Longitude",
  "Scale",
  "Label",
  "Title",
  "Description",
  "Url",
  "Encrypt",
]);

export default async function MessagePage({ params }: { params: Promise<{ appid: string; id: string }> }) {
  const { appid, id } = await params;
  const { account } = await requireAccount(appid);
  const { t, locale, tz } = await getI18n();
  const d = t.message;
  const at = (sub: `/${string}`, search?: string) => accountPath(account.appId, sub, search);
  const message = await getMessage(getPool(), account.id, id);
  if (!message) {
    return (
      <div className="rounded-xl border border-slate-200 bg-white">
        <EmptyState
          title={d.notFound}
          action={
            <Link href={at("/messages")} className={buttonClass("secondary")}>
              {d.back}
            </Link>
          }
        />
      </div>
    );
  }
  const follower = message.direction === "inbound" ? message.fromUser : message.toUser;
  const extra = Object.fromEntries(Object.entries(message.fields ?? {}).filter(([k]) => !NORMALISED_KEYS.has(k)));
  const createTime = message.createTime && /^\d+$/.test(message.createTime) ? new Date(Number(message.createTime) * 1000) : null;
  // A large document is shown as stored (and offered as a file) rather than re-indented.
  const indented = fitsPrettyXml(message.rawXml);
  const rawSize = `${formatNumber(Math.ceil(Buffer.byteLength(message.rawXml, "utf8") / 1024), locale)} KB`;
  const rawHref = accountApiPath(`/api/messages/${message.id}/raw`, account.appId);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="min-w-0">
          <Link href={at("/messages")} className="text-sm text-slate-500 hover:text-emerald-700">
            ← {d.back}
          </Link>
          <h1 className="mt-1 flex flex-wrap items-center gap-2 text-2xl font-semibold tracking-tight">
            {d.title} <span className="font-mono text-base font-normal text-slate-400">#{message.id}</span>
          </h1>
        </div>
        <Link href={at(`/messages/followers/${encodeURIComponent(follower)}`)} className={buttonClass("secondary", "sm")}>
          {d.thread} →
        </Link>
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <Card>
          <CardHeader title={d.fields} action={<MessageTypeBadge msgType={message.msgType} event={message.event} t={t.messages.types} />} />
          <CardBody className="p-0">
            <dl className="divide-y divide-slate-100 text-sm">
              <Row label={d.receivedAt} value={formatDateTime(message.receivedAt, locale, tz, { seconds: true })} />
              <Row label={d.direction} value={message.direction === "inbound" ? t.messages.filters.inbound : t.messages.filters.outbound} />
              <Row label={d.transport} value={message.encrypted ? d.encrypted : d.plaintext} />
              {PROTOCOL_FIELDS.map(([key, label]) => {
                const v = message[key];
                if (v === null || v === undefined || v === "") return null;
                return (
                  <Row
                    key={key}
                    label={label}
                    value={String(v)}
                    mono={key !== "content" && key !== "recognition" && key !== "label" && key !== "title" && key !== "description"}
                    testId={key === "msgId" ? "msg-id" : undefined}
                  />
                );
              })}
              {createTime ? <Row label={d.createTimeLocal} value={formatDateTime(createTime, locale, tz, { seconds: true })} /> : null}
            </dl>
            {Object.keys(extra).length ? (
              <div className="border-t border-slate-100 px-5 py-4">
                <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">{d.otherFields}</h3>
                <pre className="mt-2 overflow-x-auto rounded-lg bg-slate-50 p-3 font-mono text-xs text-slate-700">{JSON.stringify(extra, null, 2)}</pre>
              </div>
            ) : null}
          </CardBody>
        </Card>
        <div className="space-y-6">
          <Card>
            <CardHeader
              title={d.rawXml}
              description={indented ? d.rawHint : fmt(d.rawTooLarge, { size: rawSize })}
              action={
                indented ? (
                  <CopyButton value={message.rawXml} label={d.copyXml} copiedLabel={t.common.copied} />
                ) : (
                  <a href={rawHref} download className={buttonClass("secondary", "sm")}>
                    {d.downloadXml}
                  </a>
                )
              }
            />
            <pre
              data-testid="raw-xml"
              className="max-h-[32rem] overflow-auto whitespace-pre-wrap break-all bg-slate-950 px-5 py-4 font-mono text-xs leading-relaxed text-emerald-100"
            >
              {indented ? prettyXml(message.rawXml) : message.rawXml}
            </pre>
          </Card>
          <Card>
            <CardHeader title={d.reply} />
            {message.replyXml ? (
              <pre className="max-h-[32rem] overflow-auto whitespace-pre-wrap break-all px-5 py-4 font-mono text-xs leading-relaxed text-slate-700">
                {fitsPrettyXml(message.replyXml) ? prettyXml(message.replyXml) : message.replyXml}
              </pre>
            ) : (
              <CardBody>
                <p className="text-sm text-slate-500">{d.noReply}</p>
              </CardBody>
            )}
          </Card>
        </div>
      </div>
    </div>
  );
}

function Row({ label, value, mono, testId }: { label: string; value: string; mono?: boolean; testId?: string }) {
  return (
    <div className="grid grid-cols-[minmax(0,11rem)_minmax(0,1fr)] gap-4 px-5 py-2.5">
      <dt className="text-slate-500">{label}</dt>
      <dd data-testid={testId} className={mono ? "break-all font-mono text-xs leading-5 text-slate-800" : "whitespace-pre-wrap break-words text-slate-800"}>
        {value}
      </dd>
    </div>
  );
}
