import { Stepper } from "@/components/stepper";
import { PageHeader } from "@/components/ui/page-header";
import { getConsoleAccount } from "@/lib/accounts/console-account";
import { requireUser } from "@/lib/auth/require-user";
import { getCallbackStatus } from "@/lib/callback/callback-status";
import { getPool } from "@/lib/db";
import { getI18n } from "@/lib/i18n/server";
import { getTokenStatus } from "@/lib/tokens";

export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  await requireUser();
  const { t } = await getI18n();
  const { account } = await getConsoleAccount();
  const [status, token] = account ? await Promise.all([getCallbackStatus(getPool(), account.id), getTokenStatus(account.id)]) : [null, null];
  const s = t.setup.steps;
  return (
    <>
      <PageHeader title={t.setup.title} description={t.setup.intro} />
      <Stepper
        label={t.setup.title}
        steps={[
          { href: "/settings", label: s.account, done: !!account },
          { href: "/settings/credentials", label: s.credentials, done: !!account },
          { href: "/settings/server", label: s.server, done: !!status?.lastVerifiedAt },
          { href: "/settings/api", label: s.api, done: token?.state === "valid" },
        ]}
      />
      {children}
    </>
  );
}
