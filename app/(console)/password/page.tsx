import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/require-user";
import { getI18n } from "@/lib/i18n/server";
import { PasswordForm } from "./password-form";

export const metadata: Metadata = { title: "Change password" };

export default async function PasswordPage() {
  await requireUser();
  const { t } = await getI18n();
  return (
    <>
      <PageHeader title={t.profile.title} description={t.profile.subtitle} />
      <PasswordForm t={t.profile} common={t.common} />
    </>
  );
}
