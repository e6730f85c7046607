import { Stepper } from "@/components/stepper";
import { Callout } from "@/components/ui/callout";
import { PageHeader } from "@/components/ui/page-header";
import { listVisibleAccounts, requireUser } from "@/lib/auth/require-user";
import { getI18n } from "@/lib/i18n/server";

// The six setup steps for an account that does not exist yet: the first two here, then, once
// step 2 has created it, the rest on its own pages (/a/<AppID>/settings/api …), in the order
// the account's own stepper gives and explains.
export default async function NewAccountLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const { t } = await getI18n();
  const s = t.setup.steps;
  // The very first account is the setup itself; after it, adding one is a thing of its own.
  const first = !(await listVisibleAccounts(user)).length;
  const title = first ? t.setup.title : t.accounts.add.title;
  if (user.role !== "admin") {
    return (
      <>
        <PageHeader title={title} />
        <Callout tone="warning">{t.common.forbidden}</Callout>
      </>
    );
  }
  return (
    <>
      <PageHeader title={title} description={first ? t.setup.intro : t.accounts.add.intro} />
      <Stepper
        label={title}
        steps={[
          { href: "/accounts/new", label: s.account, done: false },
          { href: "/accounts/new/credentials", label: s.credentials, done: false },
          { label: s.api, done: false },
          { label: t.customMenu.takeover.step, done: false },
          { label: t.replyImport.step, done: false },
          { label: s.server, done: false },
        ]}
      />
      {children}
    </>
  );
}
