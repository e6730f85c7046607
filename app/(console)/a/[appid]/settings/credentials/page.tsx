import type { Metadata } from "next";
import { accountPath } from "@/lib/accounts/account-path";
import { getAccountSecret } from "@/lib/accounts/console-account";
import { requireAccount } from "@/lib/auth/require-user";
import { getI18n } from "@/lib/i18n/server";
import { generateCredential, saveCredentials } from "../../../../_setup/actions";
import { CredentialsForm } from "../../../../_setup/credentials-form";
import { credentialsStepText, kindFromQuery } from "../../../../_setup/credentials-step";

export const metadata: Metadata = { title: "Credentials" };

export default async function CredentialsPage({
  params,
  searchParams,
}: {
  params: Promise<{ appid: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { account, role } = await requireAccount((await params).appid);
  const query = await searchParams;
  const kind = kindFromQuery(query, account);
  const { t } = await getI18n();
  const canEdit = role === "admin";
  // Admins edit the Token in clear; a viewer's form holds only its mask.
  const token = canEdit ? ((await getAccountSecret(account.id, "token")) ?? "") : null;
  return (
    <CredentialsForm
      t={credentialsStepText(t)}
      canEdit={canEdit}
      save={saveCredentials}
      generate={generateCredential.bind(null, account.appId)}
      links={{ back: accountPath(account.appId, "/settings"), next: accountPath(account.appId, "/settings/api") }}
      account={{
        id: account.id,
        appId: account.appId,
        token,
        tokenMask: account.tokenMask,
        messageMode: account.messageMode,
        appSecretMask: account.appSecretMask,
        encodingAesKeyMask: account.encodingAesKeyMask,
      }}
      kind={kind}
    />
  );
}
