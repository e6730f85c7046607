import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { LiveRefresh } from "@/components/live-refresh";
import { buttonClass } from "@/components/ui/button";
import { Callout } from "@/components/ui/callout";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { SecretField } from "@/components/ui/secret-field";
import { StatusDot } from "@/components/ui/badge";
import { accountApiPath, accountPath } from "@/lib/accounts/account-path";
import { callbackUrlFor, checkCallbackUrl, pathCallbackUrlFor, publicBaseUrl } from "@/lib/accounts/server-url";
import { requireAccount } from "@/lib/auth/require-user";
import { getCallbackStatus } from "@/lib/callback/callback-status";
import { getPool } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { fmt, formatDateTime } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { revealAccountSecret } from "../../../../_setup/actions";

export const metadata: Metadata = { title: "Server URL" };

export default async function ServerUrlPage({ params }: { params: Promise<{ appid: string }> }) {
  const { account, role } = await requireAccount((await params).appid);
  const { t, locale, tz } = await getI18n();
  const s = t.setup.server;
  const { base, fromEnv } = publicBaseUrl(getEnv().PUBLIC_URL, await headers());
  const url = callbackUrlFor(base, account.appId, account.isDefault);
  // The default account's own path works too; worth knowing before adding a second account.
  const alsoUrl = account.isDefault ? pathCallbackUrlFor(base, account.appId) : null;
  const warnings = checkCallbackUrl(url);
  const status = await getCallbackStatus(getPool(), account.id);
  const when = (d: Date) => formatDateTime(d, locale, tz, { seconds: true });
  const isAdmin = role === "admin";
  const at = (sub: `/${string}`) => accountPath(account.appId, sub);
  const secretLabels = { show: t.common.show, hide: t.common.hide, copy: t.common.copy, copied: t.common.copied };

  // Only a verified handshake sets the status: anyone can send a refused GET, so a refusal is
  // shown only as a hint while WeChat has never verified the URL (typically a Token that differs).
  const h = status?.lastVerifiedAt ? null : status?.lastRefusedHandshake;
  let statusLine: { tone: "green" | "red" | "amber" | "neutral"; text: string };
  if (status?.lastVerifiedAt) statusLine = { tone: "green", text: fmt(s.status.verified, { time: when(status.lastVerifiedAt) }) };
  else if (h?.reason === "bad_signature") statusLine = { tone: "red", text: fmt(s.status.badSignature, { time: when(h.at) }) };
  else if (h?.reason === "missing_params") statusLine = { tone: "amber", text: fmt(s.status.missingParams, { time: when(h.at) }) };
  else if (h && h.outcome !== "verified")
    statusLine = { tone: "red", text: fmt(s.status.otherRefusal, { time: when(h.at), reason: h.reason ?? "", status: h.status }) };
  else statusLine = { tone: "neutral", text: s.status.waiting };

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,22rem)]">
      <div className="space-y-6">
        <Card>
          <CardHeader title={s.title} description={fmt(s.intro, { mode: t.setup.credentials.modes[account.messageMode].label })} />
          <CardBody className="space-y-5">
            <div>
              <p id="server-url-label" className="text-sm font-medium text-slate-800">
                {s.urlLabel}
              </p>
              <div className="mt-1.5 flex flex-wrap items-center gap-2">
                <code
                  aria-labelledby="server-url-label"
                  data-testid="server-url"
                  className="min-w-0 flex-1 break-all rounded-lg border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-sm text-slate-900"
                >
                  {url}
                </code>
                <CopyButton value={url} label={t.common.copy} copiedLabel={t.common.copied} />
              </div>
              <p className="mt-1.5 text-xs text-slate-500">{fromEnv ? s.fromEnv : s.fromRequest}</p>
              {alsoUrl ? (
                <p className="mt-1 text-xs text-slate-500" data-testid="server-url-also">
                  {t.accounts.serverUrl.alsoPath} <code className="break-all font-mono text-slate-700">{alsoUrl}</code>
                </p>
              ) : null}
            </div>
            <>
              {/* Viewers get the masks only: the full values are fetched by an admin's click. */}
              <SecretField
                id="server-token"
                label={s.tokenLabel}
                mask={account.tokenMask}
                reveal={isAdmin ? revealAccountSecret.bind(null, account.appId, "token") : undefined}
                labels={secretLabels}
              />
              {account.encodingAesKeyMask ? (
                <SecretField
                  id="server-aes-key"
                  label={s.aesKeyLabel}
                  mask={account.encodingAesKeyMask}
                  reveal={isAdmin ? revealAccountSecret.bind(null, account.appId, "encodingAesKey") : undefined}
                  labels={secretLabels}
                />
              ) : (
                <p className="text-sm text-slate-500">{s.noAesKey}</p>
              )}
              <p className="-mt-3 text-xs text-slate-500">{s.secretsHint}</p>
            </>
            {warnings.map((w) => (
              <Callout key={w.kind} tone={w.kind === "http" || w.kind === "ip" ? "warning" : "danger"}>
                {w.kind === "port" ? fmt(s.warnings.port, { port: w.port }) : s.warnings[w.kind]}
              </Callout>
            ))}
          </CardBody>
        </Card>
        <Card>
          <CardHeader
            title={s.status.title}
            action={
              <LiveRefresh
                src={accountApiPath("/api/live", account.appId, "?scope=callback")}
                version={`${account.id}|${status.version}`}
                label={t.common.live}
              />
            }
          />
          <CardBody className="space-y-3">
            <p role="status" data-testid="verification-status" className="flex items-start gap-2.5 text-sm leading-relaxed text-slate-800">
              <span className="mt-1.5">
                <StatusDot tone={statusLine.tone} />
              </span>
              {statusLine.text}
            </p>
            <p className="flex items-start gap-2.5 text-sm text-slate-600">
              <span className="mt-1.5">
                <StatusDot tone={status.lastMessageAt ? "green" : "neutral"} />
              </span>
              {status.lastMessageAt ? fmt(s.status.lastMessage, { time: when(status.lastMessageAt) }) : s.status.noMessages}
            </p>
            {status.lastMessageAt || status.lastVerifiedAt ? (
              <Link href={at("/messages")} className={buttonClass("secondary", "sm")}>
                {s.messagesLink} →
              </Link>
            ) : null}
          </CardBody>
        </Card>
        <div className="flex flex-wrap gap-3">
          <Link href={at("/settings/replies")} className={buttonClass("ghost")}>
            ← {t.common.back}
          </Link>
          <Link href={accountPath(account.appId)} className={buttonClass(status.lastVerifiedAt ? "primary" : "secondary", "md", "ml-auto")}>
            {s.finish} →
          </Link>
        </div>
      </div>
      <aside className="space-y-4 lg:sticky lg:top-20 lg:self-start">
        <Callout tone="tip" title={s.handshake.title}>
          {s.handshake.body}
        </Callout>
      </aside>
    </div>
  );
}
