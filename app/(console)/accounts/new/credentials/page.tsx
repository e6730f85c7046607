import type { Metadata } from "next";
import { ZAccountType } from "@/lib/accounts/account-fields";
import { requireUser } from "@/lib/auth/require-user";
import { fmt } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { createAccountAction, generateNewCredential } from "../../../_setup/actions";
import { CredentialsForm } from "../../../_setup/credentials-form";

export const metadata: Metadata = { title: "Add account" };

export default async function NewAccountCredentialsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  if (user.role !== "admin") return null;
  const { t } = await getI18n();
  const params = await searchParams;
  // Step 1's choice travels in the URL until this step creates the account.
  const type = ZAccountType.safeParse(params.type);
  const kind = { accountType: type.success ? type.data : "subscription", certified: params.certified === "1" } as const;
  return (
    <CredentialsForm
      t={{
        common: t.common,
        c: t.setup.credentials,
        readOnly: t.setup.viewerNotice,
        next: fmt(t.common.nextStep, { step: t.setup.steps.server }),
        name: t.accounts.name,
      }}
      canEdit
      save={createAccountAction}
      generate={generateNewCredential}
      links={{ back: "/accounts/new", next: null }}
      account={null}
      kind={kind}
    />
  );
}
