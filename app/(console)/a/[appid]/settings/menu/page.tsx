import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Callout } from "@/components/ui/callout";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { accountPath } from "@/lib/accounts/account-path";
import { capabilityOf } from "@/lib/accounts/capabilities";
import { requireAccount } from "@/lib/auth/require-user";
import { getI18n } from "@/lib/i18n/server";
import { fmt } from "@/lib/i18n";
import { getTokenStatus } from "@/lib/tokens";
import { NoTokenNotice } from "../no-token-notice";
import { ImportMenuForm } from "./import-menu-form";
import { PlatformMenuPanel } from "./platform-menu-panel";

export const metadata: Metadata = { title: "Keep your menu" };

// The setup step beside the auto-reply import: before 服务器配置 is enabled, the MP admin's
// menu is copied into mpdesk, since WeChat stops serving it at the switch.
export default async function KeepMenuPage({ params }: { params: Promise<{ appid: string }> }) {
  const { account, role } = await requireAccount((await params).appid);
  const { t } = await getI18n();
  const k = t.customMenu.takeover;
  const noApi = capabilityOf(account.accountType, account.certified, "customMenu").state === "no";
  const noToken = (await getTokenStatus(account.id)).state !== "valid";
  const at = (sub: `/${string}`) => accountPath(account.appId, sub);
  return (
    <Card>
      <CardHeader title={k.title} description={k.intro} />
      <CardBody className="space-y-4">
        {!noApi && noToken ? <NoTokenNotice href={at("/settings/api")} t={t.setup.noToken} /> : null}
        {noApi ? (
          <Callout tone="danger" role="alert">
            {k.noMenuApi}
          </Callout>
        ) : null}
        <PlatformMenuPanel accountId={account.id} k={k} />
        {role === "admin" ? (
          <ImportMenuForm appId={account.appId} editorHref={accountPath(account.appId, "/menu")} t={k} />
        ) : (
          <Callout tone="warning">{t.common.readOnly}</Callout>
        )}
        <div className="flex flex-wrap gap-3 pt-2">
          <Link href={at("/settings/api")} className={buttonClass("ghost")}>
            ← {t.common.back}
          </Link>
          <Link href={at("/settings/replies")} className={buttonClass("secondary", "md", "ml-auto")}>
            {fmt(t.common.nextStep, { step: t.replyImport.step })} →
          </Link>
        </div>
      </CardBody>
    </Card>
  );
}
