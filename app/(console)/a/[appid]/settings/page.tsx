import type { Metadata } from "next";
import { accountPath } from "@/lib/accounts/account-path";
import { requireAccount } from "@/lib/auth/require-user";
import { getI18n } from "@/lib/i18n/server";
import { AccountKindForm } from "../../../_setup/account-kind-form";

export const metadata: Metadata = { title: "Setup" };

export default async function AccountStepPage({ params }: { params: Promise<{ appid: string }> }) {
  const { account, role } = await requireAccount((await params).appid);
  const { t } = await getI18n();
  return (
    <AccountKindForm
      t={{ common: t.common, account: t.setup.account, capability: t.setup.capability, readOnly: t.setup.viewerNotice }}
      appId={account.appId}
      nextPath={accountPath(account.appId, "/settings/credentials")}
      initialType={account.accountType}
      initialCertified={account.certified}
      canEdit={role === "admin"}
    />
  );
}
