import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { fmt, type Dictionary } from "@/lib/i18n";
import type { SendDetail } from "@/lib/inbox/inbox-queries";
import type { MessageDetail } from "@/lib/messages/get-message";

type T = Dictionary["inbox"]["thread"];

/** Who sent an outbound row: the rule, the console's user, or the API key, by name. */
export function senderOf(d: SendDetail | undefined, t: T): string | null {
  if (!d?.source) return null;
  if (d.source === "rule") return d.ruleName ? fmt(t.sentBy.rule, { name: d.ruleName }) : t.sentBy.ruleDeleted;
  if (d.source === "console") return d.userEmail ? fmt(t.sentBy.console, { user: d.userEmail }) : t.sentBy.consoleUnknown;
  return d.apiKeyName ? fmt(t.sentBy.api, { name: d.apiKeyName }) : t.sentBy.apiUnknown;
}

function bodyText(m: MessageDetail, d: SendDetail | undefined, t: T): string {
  if (m.content) return m.content;
  const body = d?.body as { msgtype?: string; text?: { content?: string }; image?: { media_id?: string } } | null | undefined;
  if (body?.text?.content) return body.text.content;
  if (m.msgType === "image" || body?.msgtype === "image") return t.image;
  return `[${body?.msgtype ?? m.msgType}]`;
}

/** One message mpdesk sent, on the right: its text, when, how it went and who sent it; a failure says what WeChat answered, in words. */
export function OutboundBubble({
  m,
  detail,
  href,
  time,
  explanation,
  imageSrc,
  t,
}: {
  m: MessageDetail;
  detail: SendDetail | undefined;
  href: string;
  time: string;
  /** The failure's errcode explained, when it failed. */
  explanation: string | null;
  /** The kept copy of a sent image or voice, when mpdesk put it on WeChat. */
  imageSrc?: string | null;
  t: T;
}) {
  const status = detail?.status ?? null;
  const failed = status === "failed";
  const sender = senderOf(detail, t);
  return (
    <div className="flex flex-col items-end gap-1" data-testid="outbound-row" data-status={status ?? ""}>
      <Link
        href={href}
        className={cn(
          "max-w-[80%] rounded-2xl rounded-tr-sm px-4 py-2 text-sm shadow-sm ring-1",
          failed
            ? "bg-white text-slate-800 ring-red-300"
            : status === "queued"
              ? "bg-emerald-100 text-emerald-950 ring-emerald-200"
              : "bg-emerald-500 text-white ring-emerald-600",
        )}
      >
        {imageSrc ? (
          <img src={imageSrc} alt={t.image} className="mb-1 max-h-48 max-w-full rounded-lg" />
        ) : (
          <span className="block whitespace-pre-wrap break-words">{bodyText(m, detail, t)}</span>
        )}
        <span className={cn("mt-1 block text-[11px]", failed || status === "queued" ? "text-slate-500" : "text-emerald-50")}>
          {time}
          {detail?.via ? ` · ${detail.via === "passive" ? t.passive : t.custom}` : null}
          {sender ? ` · ${sender}` : null}
        </span>
      </Link>
      {status ? (
        <span
          className={cn(
            "rounded-full px-2 py-0.5 text-[11px] font-medium ring-1",
            failed
              ? "bg-red-50 text-red-800 ring-red-200"
              : status === "queued"
                ? "bg-amber-50 text-amber-800 ring-amber-200"
                : "bg-emerald-50 text-emerald-800 ring-emerald-200",
          )}
          data-testid="send-status"
        >
          {t.status[status]}
          {status === "queued" && detail!.attempts > 0 ? ` · ${fmt(t.attempts, { n: detail!.attempts })}` : null}
        </span>
      ) : null}
      {failed ? (
        <p className="max-w-[80%] rounded-lg bg-red-50 px-3 py-2 text-right text-xs text-red-900" role="note" data-testid="send-error">
          {/* No errcode: mpdesk refused it before WeChat was called, and the explanation says why. */}
          {detail!.errcode !== null ? <span className="mb-0.5 block">{fmt(t.errcode, { errcode: detail!.errcode, errmsg: detail!.errmsg ?? "" })}</span> : null}
          {explanation ? <span className="block">{explanation}</span> : null}
        </p>
      ) : null}
    </div>
  );
}
