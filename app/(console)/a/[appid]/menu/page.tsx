import type { Metadata } from "next";
import { Callout } from "@/components/ui/callout";
import { PageHeader } from "@/components/ui/page-header";
import { capabilityOf } from "@/lib/accounts/capabilities";
import { requireAccount } from "@/lib/auth/require-user";
import { getPool, getPrisma } from "@/lib/db";
import { fmt, formatDateTime } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { listClickRules, summarizeReply } from "@/lib/menu/click-rules";
import { listMenuVersions, loadMenuDraft } from "@/lib/menu/menu-queries";
import { countMenuTaps } from "@/lib/menu/menu-taps";
import type { MenuDocument } from "@/lib/menu/validate-menu";
import { MenuEditor, type EditorVersion } from "./menu-editor";

export const metadata: Metadata = { title: "Custom menu" };

// The account's custom menu: the editor on the draft (else the last published version), the
// phone preview and the published versions. Everyone who may see the account reads it; only its
// admins change it, and only when the account has the menu API.
export default async function MenuPage({ params }: { params: Promise<{ appid: string }> }) {
  const { account, role } = await requireAccount((await params).appid);
  const { t, locale, tz } = await getI18n();
  const m = t.customMenu;
  const pool = getPool();
  const [draft, versions, rules, taps] = await Promise.all([
    loadMenuDraft(pool, account.id),
    listMenuVersions(pool, account.id, 50),
    listClickRules(getPrisma(), account.id),
    countMenuTaps(pool, account.id),
  ]);
  const capability = capabilityOf(account.accountType, account.certified, "customMenu");
  const readOnly =
    role !== "admin"
      ? m.readOnlyViewer
      : capability.state === "no"
        ? fmt(m.readOnlyCapability, { reason: t.setup.capability.reasons[capability.reason!] })
        : null;
  const initial = (draft?.body as MenuDocument | undefined) ?? versions[0]?.body ?? { button: [] };
  const editorVersions: EditorVersion[] = versions.map((v) => ({
    number: v.number,
    body: v.body,
    at: formatDateTime(v.publishedAt, locale, tz, { seconds: true }),
    by: v.publishedVia === "cli" ? m.viaCli : (v.publishedByEmail ?? "—"),
    restoredFrom: v.restoredFrom,
  }));
  const replies = Object.fromEntries(rules.map((r) => [r.eventKey, { name: r.name, summary: summarizeReply(r.replies[0]) }]));
  return (
    <>
      <PageHeader title={m.title} description={m.subtitle} />
      {readOnly ? (
        <Callout tone="warning" className="mb-6" role="status">
          {readOnly}
        </Callout>
      ) : null}
      <MenuEditor
        appId={account.appId}
        initial={initial}
        versions={editorVersions}
        replies={replies}
        taps={taps}
        readOnly={!!readOnly}
        t={m}
        common={t.common}
      />
    </>
  );
}
