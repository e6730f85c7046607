import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Callout } from "@/components/ui/callout";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { capabilityOf } from "@/lib/accounts/capabilities";
import { getConsoleAccount } from "@/lib/accounts/console-account";
import { requireUser } from "@/lib/auth/require-user";
import { fmt } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";

export const metadata: Metadata = { title: "API access" };

export default async function ApiAccessPage() {
  await requireUser();
  const { t } = await getI18n();
  const a = t.setup.api;
  const { account } = await getConsoleAccount();
  const capability = account ? capabilityOf(account.accountType, account.certified, "accessToken") : null;
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
        </CardBody>
      </Card>
      <div className="flex flex-wrap gap-3">
        <Link href="/settings/server" className={buttonClass("ghost")}>
          ← {t.common.back}
        </Link>
      </div>
    </div>
  );
}
