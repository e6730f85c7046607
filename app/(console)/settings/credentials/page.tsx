import type { Metadata } from "next";
import { ZAccountType } from "@/lib/accounts/account-fields";
import { getAccountSecret, getConsoleAccount } from "@/lib/accounts/console-account";
import { requireUser } from "@/lib/auth/require-user";
import { fmt } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { CredentialsForm } from "./credentials-form";

export const metadata: Metadata = { title: "Credentials" };

export default async function CredentialsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const { t } = await getI18n();
  const { account } = await getConsoleAccount();
  const params = await searchParams;
  // Step 1's choice travels in the URL until the first save creates the account.
  const type = ZAccountType.safeParse(params.type);
  const kind = {
    accountType: type.success ? type.data : (account?.accountType ?? "subscription"),
    certified: params.certified !== undefined ? params.certified === "1" : (account?.certified ?? false),
  };
  const canEdit = user.role === "admin";
  // Admins edit the Token in clear; a viewer's form holds only its mask.
  const token = account && canEdit ? ((await getAccountSecret(account.id, "token")) ?? "") : null;
  return (
    <CredentialsForm
      t={{ common: t.common, c: t.setup.credentials, readOnly: t.setup.viewerNotice, next: fmt(t.common.nextStep, { step: t.setup.steps.server }) }}
      canEdit={canEdit}
      account={
        account
          ? {
              id: account.id,
              appId: account.appId,
              token,
              tokenMask: account.tokenMask,
              messageMode: account.messageMode,
              appSecretMask: account.appSecretMask,
              encodingAesKeyMask: account.encodingAesKeyMask,
            }
          : null
      }
      kind={kind}
    />
  );
}
