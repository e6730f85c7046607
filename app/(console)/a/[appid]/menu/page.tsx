import type { Metadata } from "next";
import { Callout } from "@/components/ui/callout";
import { PageHeader } from "@/components/ui/page-header";
import { capabilityOf } from "@/lib/accounts/capabilities";
import { requireAccount } from "@/lib/auth/require-user";
import { getPool, getPrisma } from "@/lib/db";
import { fmt, formatDateTime } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { isAppError } from "@/lib/app-error";
import { listClickRules, summarizeReply } from "@/lib/menu/click-rules";
import { fetchTags, type FollowerTag } from "@/lib/menu/conditional-menus";
import { listConditionalMenus, listRecentFollowers } from "@/lib/menu/conditional-queries";
import { syncConditionalMenus, type HeldMenus } from "@/lib/menu/reorder-conditional";
import { menuFromWeChat } from "@/lib/menu/wechat-menu";
import { listMenuVersions, loadMenuDraft } from "@/lib/menu/menu-queries";
import { countMenuTaps } from "@/lib/menu/menu-taps";
import type { MenuDocument } from "@/lib/menu/validate-menu";
import type { EditorVersion } from "./menu-editor";
import { MenuWorkspace } from "./menu-workspace";

export const metadata: Metadata = { title: "Custom menu" };

// The account's custom menu: the editor on the draft (else the last published version), the
// phone preview and the published versions. Everyone who may see the account reads it; only its
// admins change it, and only when the account has the menu API.
export default async function MenuPage({ params }: { params: Promise<{ appid: string }> }) {
  const { account, role } = await requireAccount((await params).appid);
  const { t, locale, tz } = await getI18n();
  const m = t.customMenu;
  const pool = getPool();
  const capability = capabilityOf(account.accountType, account.certified, "customMenu");
  const [draft, versions, rules, taps, recent, live, tags] = await Promise.all([
    loadMenuDraft(pool, account.id),
    listMenuVersions(pool, account.id, 50),
    listClickRules(getPrisma(), account.id),
    countMenuTaps(pool, account.id),
    listRecentFollowers(pool, account.id),
    // What WeChat holds now, read on each visit (menu/get also refreshes menu_conditional).
    capability.state === "no" ? null : syncConditionalMenus(pool, account.id, null).catch((err: unknown) => err),
    capability.state === "no" ? ([] as FollowerTag[]) : fetchTags(account.id).catch(() => [] as FollowerTag[]),
  ]);
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
  const liveFailed = live instanceof Error || live === null;
  const held: HeldMenus = liveFailed
    ? {
        hasDefault: versions.length > 0,
        menu: versions[0]?.body ?? null,
        // menuids grow: the newest, matched first, has the largest.
        conditional: (await listConditionalMenus(pool, account.id))
          .map((c) => ({
            menuId: c.menuId,
            menu: menuFromWeChat((c.body as { button?: unknown }).button),
            matchrule: (c.matchrule ?? {}) as Record<string, unknown>,
          }))
          .sort((a, b) => Number(BigInt(b.menuId) - BigInt(a.menuId))),
      }
    : (live as HeldMenus);
  // Without the menu API there is nothing to read (the read-only notice above says why).
  const unavailable = live instanceof Error ? (isAppError(live, "WECHAT_API") ? `${live.details.errcode} ${live.details.errmsg}` : live.message) : null;
  return (
    <>
      <PageHeader title={m.title} description={m.subtitle} />
      {readOnly ? (
        <Callout tone="warning" className="mb-6" role="status">
          {readOnly}
        </Callout>
      ) : null}
      <MenuWorkspace
        editor={{ appId: account.appId, initial, versions: editorVersions, replies, taps, readOnly: !!readOnly, t: m, common: t.common }}
        conditional={{
          appId: account.appId,
          held,
          defaultMenu: held.menu,
          tags,
          recent,
          unavailable,
          readOnly: !!readOnly,
          t: m,
          common: t.common,
        }}
      />
    </>
  );
}
