import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/require-user";
import { getI18n } from "@/lib/i18n/server";
import { createAccountAction, generateNewCredential } from "../../../_setup/actions";
import { CredentialsForm } from "../../../_setup/credentials-form";
import { credentialsStepText, kindFromQuery } from "../../../_setup/credentials-step";

export const metadata: Metadata = { title: "Add account" };

export default async function NewAccountCredentialsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  if (user.role !== "admin") return null;
  const { t } = await getI18n();
  const params = await searchParams;
  const kind = kindFromQuery(params, { accountType: "subscription", certified: false });
  return (
    <CredentialsForm
      t={credentialsStepText(t)}
      canEdit
      save={createAccountAction}
      generate={generateNewCredential}
      links={{ back: "/accounts/new", next: null }}
      account={null}
      kind={kind}
    />
  );
}
