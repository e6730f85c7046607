import type { Metadata } from "next";
import { Callout } from "@/components/ui/callout";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/require-user";
import { getI18n } from "@/lib/i18n/server";
import { PasswordForm } from "./password-form";

export const metadata: Metadata = { title: "Change password" };

export default async function PasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const { t } = await getI18n();
  const { changed } = await searchParams;
  return (
    <>
      <PageHeader title={t.profile.title} description={t.profile.subtitle} />
      {changed ? (
        <Callout tone="success" role="status" className="mb-5">
          {t.profile.changed}
        </Callout>
      ) : null}
      <PasswordForm t={t.profile} common={t.common} />
    </>
  );
}
