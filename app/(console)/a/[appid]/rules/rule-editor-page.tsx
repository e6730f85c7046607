import { Callout } from "@/components/ui/callout";
import { PageHeader } from "@/components/ui/page-header";
import type { AccountContext } from "@/lib/auth/require-user";
import { getI18n } from "@/lib/i18n/server";
import { windowToInput } from "@/lib/replies/rule-fields";
import type { ConsoleRule } from "@/lib/replies/rule-set-io";
import { canReplyAll } from "@/lib/replies/save-rule";
import { fmt } from "@/lib/i18n";
import { EMPTY_RULE, type RuleDraft } from "./rule-draft";
import { RuleEditor } from "./rule-editor";
import { accountTimeZone, mediaLibrary } from "./rule-page-data";

/** The editor of a new rule (`rule` null) or of an existing one, read-only for viewers. */
export async function RuleEditorPage({ access, rule }: { access: AccountContext; rule: ConsoleRule | null }) {
  const { account, role } = access;
  const { t } = await getI18n();
  const r = t.rules;
  const [tz, library] = await Promise.all([accountTimeZone(account.id), mediaLibrary(account)]);
  const canEdit = role === "admin";
  const initial: RuleDraft = rule
    ? {
        name: rule.name,
        trigger: rule.trigger,
        keywords: rule.keywords.length ? rule.keywords : EMPTY_RULE.keywords,
        eventKey: rule.eventKey ?? "",
        enabled: rule.enabled,
        replyMode: rule.replyMode,
        window: windowToInput(rule.window),
        cooldownSeconds: rule.cooldownSeconds,
        replies: rule.replies,
      }
    : EMPTY_RULE;
  return (
    <>
      <PageHeader title={rule ? r.editor.editTitle : r.editor.newTitle} description={r.editor.intro} />
      <div className="mb-4 space-y-2">
        {!canEdit ? <Callout tone="tip">{r.readOnly}</Callout> : null}
        {rule && rule.origin !== "console" ? <p className="text-sm text-slate-500">{r.origins[rule.origin] ?? rule.origin}</p> : null}
        {rule?.disabledReason ? (
          <Callout tone="warning">{fmt(r.disabledBecause, { reason: r.disabledReasons[rule.disabledReason] ?? rule.disabledReason })}</Callout>
        ) : null}
      </div>
      <RuleEditor
        appId={account.appId}
        ruleId={rule?.id ?? null}
        initial={initial}
        canEdit={canEdit}
        canReplyAll={canReplyAll(account)}
        tz={tz}
        library={library}
        t={r}
        common={t.common}
      />
    </>
  );
}
