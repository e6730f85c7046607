import { Stepper } from "@/components/stepper";
import { PageHeader } from "@/components/ui/page-header";
import { accountPath } from "@/lib/accounts/account-path";
import { loadSetupProgress } from "@/lib/accounts/setup-steps";
import { requireAccount } from "@/lib/auth/require-user";
import { getPool, getPrisma } from "@/lib/db";
import { getI18n } from "@/lib/i18n/server";

export default async function SettingsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ appid: string }> }) {
  const { account } = await requireAccount((await params).appid);
  const { t } = await getI18n();
  const done = await loadSetupProgress(getPrisma(), getPool(), account.id);
  const s = t.setup.steps;
  const at = (sub: "" | `/${string}`) => accountPath(account.appId, sub);
  return (
    <>
      <PageHeader title={t.setup.title} description={t.setup.intro} />
      <Stepper
        label={t.setup.title}
        steps={[
          { href: at("/settings"), label: s.account, done: true },
          { href: at("/settings/credentials"), label: s.credentials, done: true },
          // API access before the takeover: reading the platform's menu and auto-replies needs a
          // working access_token (hence the IP whitelist). The server URL last: enabling 服务器配置
          // in the MP admin stops WeChat from running them, so they are copied into mpdesk first.
          { href: at("/settings/api"), label: s.api, done: done["/settings/api"] },
          { href: at("/settings/menu"), label: t.customMenu.takeover.step, done: done["/settings/menu"] },
          { href: at("/settings/replies"), label: t.replyImport.step, done: done["/settings/replies"] },
          { href: at("/settings/server"), label: s.server, done: done["/settings/server"] },
        ]}
      />
      {children}
    </>
  );
}
