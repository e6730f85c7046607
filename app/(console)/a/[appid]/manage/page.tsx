import type { Metadata } from "next";
import { Callout } from "@/components/ui/callout";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { accountApiPath } from "@/lib/accounts/account-path";
import { describeAccountRemoval } from "@/lib/accounts/remove-account";
import { requireAccount } from "@/lib/auth/require-user";
import { getPrisma } from "@/lib/db";
import { fmt, formatNumber } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { RemoveAccountForm, RenameAccountForm } from "./manage-forms";

export const metadata: Metadata = { title: "Manage account" };

export default async function ManageAccountPage({ params }: { params: Promise<{ appid: string }> }) {
  const { account, user, role } = await requireAccount((await params).appid);
  const { t, locale } = await getI18n();
  const m = t.accounts;
  // A viewer of the account is told so here rather than sent to the error page.
  if (role !== "admin") {
    return (
      <>
        <PageHeader title={m.manage.title} />
        <Callout tone="warning">{t.common.forbidden}</Callout>
      </>
    );
  }
  const removal = user.role === "admin" ? await describeAccountRemoval(getPrisma(), account.id) : null;
  const n = (v: number) => formatNumber(v, locale);
  return (
    <>
      <PageHeader title={m.manage.title} description={m.manage.intro} />
      <div className="grid max-w-3xl gap-6">
        <Card>
          <CardHeader title={m.rename.title} description={m.rename.intro} />
          <CardBody>
            <RenameAccountForm appId={account.appId} displayName={account.displayName} t={{ common: t.common, name: m.name, rename: m.rename }} />
          </CardBody>
        </Card>
        {removal ? (
          <Card className="border-red-200">
            <CardHeader title={m.remove.title} description={m.remove.intro} />
            <CardBody>
              <RemoveAccountForm
                appId={account.appId}
                name={account.displayName ? `${account.displayName} (${account.appId})` : account.appId}
                exportHref={accountApiPath("/api/messages/export", account.appId, "?format=csv")}
                t={m.remove}
                deleted={[
                  fmt(m.remove.counts.messages, { n: n(removal.messages) }),
                  fmt(m.remove.counts.callbackEvents, { n: n(removal.callbackEvents) }),
                  fmt(m.remove.counts.tokenRefreshEvents, { n: n(removal.tokenRefreshEvents) }),
                  ...(removal.hasToken ? [m.remove.counts.token] : []),
                  fmt(m.remove.counts.members, { n: n(removal.members) }),
                  ...(removal.apiKeysRevoked ? [fmt(m.remove.counts.apiKeysRevoked, { n: n(removal.apiKeysRevoked) })] : []),
                  ...(removal.apiKeyScopes ? [fmt(m.remove.counts.apiKeyScopes, { n: n(removal.apiKeyScopes) })] : []),
                ]}
              />
            </CardBody>
          </Card>
        ) : (
          <Callout tone="tip">{m.remove.adminsOnly}</Callout>
        )}
      </div>
    </>
  );
}
