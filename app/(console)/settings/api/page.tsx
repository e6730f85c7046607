import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Callout } from "@/components/ui/callout";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { RefreshTokenForm } from "@/components/refresh-token-form";
import { TokenStatusCard } from "@/components/token-status-card";
import { capabilityOf } from "@/lib/accounts/capabilities";
import { getConsoleAccount } from "@/lib/accounts/console-account";
import { requireUser } from "@/lib/auth/require-user";
import { fmt } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { getTokenStatus } from "@/lib/tokens";

export const metadata: Metadata = { title: "API access" };

export default async function ApiAccessPage() {
  const user = await requireUser();
  const { t, locale, tz } = await getI18n();
  const a = t.setup.api;
  const { account } = await getConsoleAccount();
  const capability = account ? capabilityOf(account.accountType, account.certified, "accessToken") : null;
  const status = account ? await getTokenStatus(account.id) : null;
  const canTest = !!account && capability?.state !== "no" && !!account.appSecretMask;
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader title={a.title} description={a.intro} />
        <CardBody className="space-y-4">
          <Callout tone="warning">{a.whitelist}</Callout>
          {!account ? (
            <Callout tone="warning">
              <Link href="/settings/credentials">{t.setup.server.noAccount}</Link>
            </Callout>
          ) : capability?.state === "no" ? (
            <Callout tone="danger">{fmt(a.notAvailable, { reason: t.setup.capability.reasons[capability.reason!] })}</Callout>
          ) : !account.appSecretMask ? (
            <Callout tone="warning">
              <Link href="/settings/credentials">{a.noSecret}</Link>
            </Callout>
          ) : null}
          {account && user.role === "admin" ? (
            <RefreshTokenForm intent="test" t={t.token} common={t.common} locale={locale} disabled={!canTest} />
          ) : account ? (
            <Callout tone="tip">{t.setup.viewerNotice}</Callout>
          ) : null}
        </CardBody>
      </Card>
      {account ? <TokenStatusCard status={status} dict={t} locale={locale} tz={tz} link /> : null}
      <div className="flex flex-wrap gap-3">
        <Link href="/settings/server" className={buttonClass("ghost")}>
          ← {t.common.back}
        </Link>
      </div>
    </div>
  );
}
