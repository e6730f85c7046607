import type { Metadata } from "next";
import { getConsoleAccount } from "@/lib/accounts/console-account";
import { requireUser } from "@/lib/auth/require-user";
import { getI18n } from "@/lib/i18n/server";
import { AccountKindForm } from "./account-kind-form";

export const metadata: Metadata = { title: "Setup" };

export default async function AccountStepPage() {
  const user = await requireUser();
  const { t } = await getI18n();
  const { account } = await getConsoleAccount();
  return (
    <AccountKindForm
      t={{ common: t.common, account: t.setup.account, capability: t.setup.capability, readOnly: t.setup.viewerNotice }}
      accountId={account?.id ?? null}
      initialType={account?.accountType ?? "subscription"}
      initialCertified={account?.certified ?? false}
      canEdit={user.role === "admin"}
    />
  );
}
