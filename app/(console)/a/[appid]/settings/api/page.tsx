import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Callout } from "@/components/ui/callout";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { RefreshTokenForm } from "@/components/refresh-token-form";
import { TokenStatusCard } from "@/components/token-status-card";
import { capabilityOf } from "@/lib/accounts/capabilities";
import { accountPath } from "@/lib/accounts/account-path";
import { requireAccount } from "@/lib/auth/require-user";
import { fmt } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { getTokenStatus } from "@/lib/tokens";

export const metadata: Metadata = { title: "API access" };

export default async function ApiAccessPage({ params }: { params: Promise<{ appid: string }> }) {
  const { account, role } = await requireAccount((await params).appid);
  const { t, locale, tz } = await getI18n();
  const a = t.setup.api;
  const capability = capabilityOf(account.accountType, account.certified, "accessToken");
  const status = await getTokenStatus(account.id);
  const canTest = capability.state !== "no" && !!account.appSecretMask;
  const at = (sub: `/${string}`) => accountPath(account.appId, sub);
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader title={a.title} description={a.intro} />
        <CardBody className="space-y-4">
          <Callout tone="warning">{a.whitelist}</Callout>
          {capability.state === "no" ? (
            <Callout tone="danger">{fmt(a.notAvailable, { reason: t.setup.capability.reasons[capability.reason!] })}</Callout>
          ) : !account.appSecretMask ? (
            <Callout tone="warning">
              <Link href={at("/settings/credentials")}>{a.noSecret}</Link>
            </Callout>
          ) : null}
          {role === "admin" ? (
            <RefreshTokenForm appId={account.appId} intent="test" t={t.token} common={t.common} locale={locale} disabled={!canTest} />
          ) : (
            <Callout tone="tip">{t.setup.viewerNotice}</Callout>
          )}
        </CardBody>
      </Card>
      <TokenStatusCard status={status} dict={t} locale={locale} tz={tz} link={at("/token")} />
      <div className="flex flex-wrap gap-3">
        <Link href={at("/settings/credentials")} className={buttonClass("ghost")}>
          ← {t.common.back}
        </Link>
        <Link href={at("/settings/menu")} className={buttonClass(status.state === "valid" ? "primary" : "secondary", "md", "ml-auto")}>
          {fmt(t.common.nextStep, { step: t.customMenu.takeover.step })} →
        </Link>
      </div>
    </div>
  );
}
