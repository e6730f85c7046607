import type { Metadata } from "next";
import { accountPath } from "@/lib/accounts/account-path";
import { ZAccountType } from "@/lib/accounts/account-fields";
import { getAccountSecret } from "@/lib/accounts/console-account";
import { requireAccount } from "@/lib/auth/require-user";
import { fmt } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { generateCredential, saveCredentials } from "../../../../_setup/actions";
import { CredentialsForm } from "../../../../_setup/credentials-form";

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
  // Step 1's choice, when it was not saved there, travels in the URL and is saved with this step.
  const type = ZAccountType.safeParse(query.type);
  const kind = {
    accountType: type.success ? type.data : account.accountType,
    certified: query.certified !== undefined ? query.certified === "1" : account.certified,
  };
  const { t } = await getI18n();
  const canEdit = role === "admin";
  // Admins edit the Token in clear; a viewer's form holds only its mask.
  const token = canEdit ? ((await getAccountSecret(account.id, "token")) ?? "") : null;
  return (
    <CredentialsForm
      t={{
        common: t.common,
        c: t.setup.credentials,
        readOnly: t.setup.viewerNotice,
        next: fmt(t.common.nextStep, { step: t.setup.steps.server }),
        name: t.accounts.name,
      }}
      canEdit={canEdit}
      save={saveCredentials}
      generate={generateCredential.bind(null, account.appId)}
      links={{ back: accountPath(account.appId, "/settings"), next: accountPath(account.appId, "/settings/server") }}
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
