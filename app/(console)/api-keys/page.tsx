import type { Metadata } from "next";
import { Callout } from "@/components/ui/callout";
import { Card, CardBody } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { listAccountRefs } from "@/lib/auth/account-members";
import { requireUser } from "@/lib/auth/require-user";
import { getPrisma } from "@/lib/db";
import { formatDateTime } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { API_KEY_SCOPES, listApiKeys } from "@/lib/tokens";
import { ApiKeys } from "./api-keys";

export const metadata: Metadata = { title: "API keys" };

// Keys are global: one key may cover several accounts, so they are managed here by the
// administrators of mpdesk, not on an account's token page.
export default async function ApiKeysPage() {
  const user = await requireUser();
  const { t, locale, tz } = await getI18n();
  const k = t.apiKeys;
  if (user.role !== "admin") {
    return (
      <>
        <PageHeader title={k.title} />
        <Callout tone="warning">{t.common.forbidden}</Callout>
      </>
    );
  }
  const [keys, accounts] = await Promise.all([listApiKeys(), listAccountRefs(getPrisma())]);
  const names = new Map(accounts.map((a) => [a.appId, a.displayName]));
  return (
    <>
      <PageHeader title={k.title} description={k.subtitle} />
      <Card>
        <CardBody>
          <ApiKeys
            t={k}
            common={t.common}
            accounts={accounts.map((a) => ({ id: a.id, appId: a.appId, displayName: a.displayName }))}
            scopes={API_KEY_SCOPES}
            keys={keys.map((key) => ({
              id: key.id,
              name: key.name,
              prefix: key.prefix,
              scopes: key.scopes,
              accounts: key.accounts?.map((appId) => ({ appId, displayName: names.get(appId) ?? null })) ?? null,
              created: formatDateTime(key.createdAt, locale, tz),
              lastUsed: key.lastUsedAt ? formatDateTime(key.lastUsedAt, locale, tz) : null,
              revoked: key.revokedAt ? formatDateTime(key.revokedAt, locale, tz) : null,
            }))}
          />
        </CardBody>
      </Card>
    </>
  );
}
