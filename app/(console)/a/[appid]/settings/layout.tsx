import { Stepper } from "@/components/stepper";
import { PageHeader } from "@/components/ui/page-header";
import { accountPath } from "@/lib/accounts/account-path";
import { requireAccount } from "@/lib/auth/require-user";
import { getCallbackStatus } from "@/lib/callback/callback-status";
import { getPool, getPrisma } from "@/lib/db";
import { getI18n } from "@/lib/i18n/server";
import { getTokenStatus } from "@/lib/tokens";

export default async function SettingsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ appid: string }> }) {
  const { account } = await requireAccount((await params).appid);
  const { t } = await getI18n();
  const [status, token, importedReplies, menuKept] = await Promise.all([
    getCallbackStatus(getPool(), account.id),
    getTokenStatus(account.id),
    getPrisma().replyRule.count({ where: { accountId: account.id, origin: "wechat_import" } }),
    getPrisma().menuDraft.count({ where: { accountId: account.id } }),
  ]);
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
          // Before the server URL: enabling 服务器配置 in the MP admin stops WeChat from running the
          // account's own menu and auto-replies, so both are copied into mpdesk while they still work.
          { href: at("/settings/menu"), label: t.customMenu.takeover.step, done: menuKept > 0 },
          { href: at("/settings/replies"), label: t.replyImport.step, done: importedReplies > 0 },
          { href: at("/settings/server"), label: s.server, done: !!status.lastVerifiedAt },
          { href: at("/settings/api"), label: s.api, done: token?.state === "valid" },
        ]}
      />
      {children}
    </>
  );
}
