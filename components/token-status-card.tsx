import Link from "next/link";
import type { Dictionary, Locale } from "@/lib/i18n";
import { fmt, formatDateTime, formatRelative } from "@/lib/i18n";
import type { TokenStatus } from "@/lib/tokens";
import { TokenErrorDetails } from "./token-error-details";
import { Badge, type Tone } from "./ui/badge";
import { Callout } from "./ui/callout";
import { Card, CardBody, CardHeader } from "./ui/card";

const TONES: Record<TokenStatus["state"], Tone> = { none: "neutral", valid: "green", expired: "amber", error: "red" };

export function TokenStatusCard({
  status,
  dict,
  locale,
  tz,
  link,
  action,
}: {
  status: TokenStatus | null;
  dict: Dictionary;
  locale: Locale;
  tz: string;
  /** Where the token's page is: the card links to it. */
  link?: string;
  action?: React.ReactNode;
}) {
  const t = dict.token;
  const common = dict.common;
  const row = (label: string, value: React.ReactNode) => (
    <div className="flex items-baseline justify-between gap-4 py-1.5">
      <dt className="text-slate-500">{label}</dt>
      <dd className="text-right text-slate-800 tabular-nums">{value}</dd>
    </div>
  );
  return (
    <Card>
      <CardHeader title={t.status} action={status ? <Badge tone={TONES[status.state]}>{t.states[status.state]}</Badge> : undefined} />
      <CardBody className="space-y-3 text-sm">
        {!status ? (
          <p className="text-slate-500">{t.noAccount}</p>
        ) : (
          <>
            <dl className="divide-y divide-slate-100" data-testid="token-status">
              {row(t.endpoint, t.endpoints[status.endpoint])}
              {row(t.validUntil, status.expiresAt ? formatDateTime(status.expiresAt, locale, tz) : "—")}
              {row(
                t.lastRefresh,
                status.lastRefreshAt ? (
                  <span title={formatDateTime(status.lastRefreshAt, locale, tz, { seconds: true })}>{formatRelative(status.lastRefreshAt, dict)}</span>
                ) : (
                  common.never
                ),
              )}
            </dl>
            {status.lastError ? (
              <Callout tone="danger" title={t.lastError}>
                <TokenErrorDetails error={status.lastError} t={t} locale={locale} common={common} />
                {status.blocked ? (
                  <p className="mt-2 text-xs">{t.blocked}</p>
                ) : status.nextAttemptAt ? (
                  <p className="mt-2 text-xs">{fmt(t.nextAttempt, { time: formatDateTime(status.nextAttemptAt, locale, tz, { seconds: true }) })}</p>
                ) : null}
              </Callout>
            ) : null}
          </>
        )}
        {action}
        {link ? (
          <Link href={link} className="inline-block text-sm font-medium text-emerald-700 hover:underline">
            {t.overviewLink} →
          </Link>
        ) : null}
      </CardBody>
    </Card>
  );
}
