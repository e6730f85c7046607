import type { Metadata } from "next";
import Link from "next/link";
import { ChatBubble, WeChatReplyBubble } from "@/components/wechat-bubble";
import { Callout } from "@/components/ui/callout";
import { buttonClass } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { accountPath } from "@/lib/accounts/account-path";
import { requireAccount } from "@/lib/auth/require-user";
import { getPrisma } from "@/lib/db";
import { fmt } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { listAccountRules } from "@/lib/replies/rule-set-io";
import { testRules, type RuleTestEvent } from "@/lib/replies/test-rule";
import { formatClock, minuteOfDay } from "@/lib/replies/time-window";
import { accountTimeZone, mediaByMediaId, mediaLibrary } from "./rule-page-data";
import { RuleTesterForm } from "./rule-tester-form";
import { TEST_KINDS, type TestKind } from "./tester-kinds";
import { RulesList } from "./rules-list";

export const metadata: Metadata = { title: "Reply rules" };

type Search = { test?: string; q?: string; saved?: string; deleted?: string };

function testEventOf(kind: TestKind, q: string): RuleTestEvent | null {
  switch (kind) {
    case "text":
      return q ? { type: "text", content: q } : null;
    case "subscribe":
      return { type: "subscribe", scene: q || null };
    case "scan":
      return q ? { type: "scan", scene: q } : null;
    case "click":
      return q ? { type: "click", key: q } : null;
  }
}

export default async function RulesPage({ params, searchParams }: { params: Promise<{ appid: string }>; searchParams: Promise<Search> }) {
  const { account, role } = await requireAccount((await params).appid);
  const search = await searchParams;
  const { t } = await getI18n();
  const r = t.rules;
  const [rules, tz, library] = await Promise.all([listAccountRules(getPrisma(), account.id), accountTimeZone(account.id), mediaLibrary(account)]);
  const canEdit = role === "admin";
  const kind: TestKind = (TEST_KINDS as readonly string[]).includes(search.test ?? "") ? (search.test as TestKind) : "text";
  const q = typeof search.q === "string" ? search.q.slice(0, 2000) : "";
  const event = search.test ? testEventOf(kind, q) : null;
  const now = new Date();
  const result = event ? testRules(rules, tz, event, now) : null;
  const media = mediaByMediaId(library);
  const here = accountPath(account.appId, "/rules");
  return (
    <>
      <PageHeader
        title={r.title}
        description={fmt(r.intro, { tz })}
        actions={
          canEdit ? (
            <Link href={accountPath(account.appId, "/rules/new")} className={buttonClass("primary")}>
              {r.newRule}
            </Link>
          ) : null
        }
      />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="min-w-0 space-y-3">
          {search.saved ? (
            <Callout tone="success" role="status">
              {fmt(r.saved, { name: search.saved.slice(0, 64) })}
            </Callout>
          ) : search.deleted ? (
            <Callout tone="success" role="status">
              {r.deleted}
            </Callout>
          ) : null}
          {!canEdit ? <Callout tone="tip">{r.readOnly}</Callout> : null}
          {rules.length ? (
            <RulesList appId={account.appId} rules={rules} canEdit={canEdit} tz={tz} t={r} common={t.common} />
          ) : (
            <Card>
              <EmptyState title={r.empty.title}>{r.empty.body}</EmptyState>
            </Card>
          )}
        </div>
        <Card className="h-fit">
          <CardHeader id="rule-tester" title={r.tester.title} description={r.tester.intro} />
          <CardBody className="space-y-4">
            <RuleTesterForm action={`${here}#rule-tester`} kind={kind} value={q} t={r.tester} />
            {event && result ? (
              <section aria-label={r.tester.title} data-testid="tester-result" className="space-y-3 rounded-lg bg-[#ededed] p-3">
                <ChatBubble side="follower">
                  <p className="whitespace-pre-wrap break-words">
                    {event.type === "text"
                      ? event.content
                      : fmt(r.tester.eventLine, {
                          event:
                            event.type === "subscribe"
                              ? `subscribe${event.scene ? ` qrscene_${event.scene.replace(/^qrscene_/, "")}` : ""}`
                              : event.type === "scan"
                                ? `SCAN ${event.scene}`
                                : `CLICK ${event.key}`,
                        })}
                  </p>
                </ChatBubble>
                {result.match ? (
                  <>
                    {result.replies.map((reply, i) => (
                      <WeChatReplyBubble key={i} reply={reply} media={media} labels={r.bubble} testId="tester-reply" />
                    ))}
                    <div className="space-y-1 text-xs text-slate-600">
                      <p>
                        {r.tester.answeredBy}{" "}
                        <Link
                          href={accountPath(account.appId, `/rules/${result.match.rule.id}`)}
                          className="font-medium text-emerald-700 hover:underline"
                          data-testid="tester-rule"
                        >
                          {result.match.rule.name}
                        </Link>{" "}
                        · {r.triggers[result.match.kind]}
                      </p>
                      {result.match.rule.replyMode === "random" && result.replies.length > 1 ? <p>{r.tester.random}</p> : null}
                      {result.match.rule.replyMode === "all" && result.replies.length > 1 ? (
                        <p>{fmt(r.tester.allRest, { n: result.replies.length - 1 })}</p>
                      ) : null}
                      {result.cooldownSeconds ? <p>{fmt(r.tester.cooldown, { s: result.cooldownSeconds })}</p> : null}
                      <p className="text-slate-400">{fmt(r.tester.at, { tz, time: formatClock(minuteOfDay(now, tz)) })}</p>
                    </div>
                  </>
                ) : (
                  <p className="text-sm text-slate-600" data-testid="tester-none">
                    {r.tester.none}
                  </p>
                )}
              </section>
            ) : null}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
