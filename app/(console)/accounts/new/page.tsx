import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/require-user";
import { getI18n } from "@/lib/i18n/server";
import { AccountKindForm } from "../../_setup/account-kind-form";

export const metadata: Metadata = { title: "Add account" };

export default async function NewAccountKindPage() {
  const user = await requireUser();
  if (user.role !== "admin") return null;
  const { t } = await getI18n();
  return (
    <AccountKindForm
      t={{ common: t.common, account: t.setup.account, capability: t.setup.capability, readOnly: t.setup.viewerNotice }}
      appId={null}
      nextPath="/accounts/new/credentials"
      initialType="subscription"
      initialCertified={false}
      canEdit
    />
  );
}
