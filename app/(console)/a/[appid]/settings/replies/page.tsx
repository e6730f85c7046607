import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Callout } from "@/components/ui/callout";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { accountMediaPath, accountPath } from "@/lib/accounts/account-path";
import { requireAccount } from "@/lib/auth/require-user";
import { getPrisma } from "@/lib/db";
import { fmt, type Dictionary } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { fetchPlatformAutoreply, listPlatformRules, type PlatformRuleView } from "@/lib/replies/import-wechat";
import { describeImportFailure, type ImportFailure } from "@/lib/replies/import-wechat-errors";
import type { PlatformReplyItem } from "@/lib/replies/platform-reply";
import { replyFromColumns } from "@/lib/replies/reply-columns";
import type { RuleReply } from "@/lib/replies/rule-fields";
import { getTokenStatus } from "@/lib/tokens";
import { NoTokenNotice } from "../no-token-notice";
import { ImportForm } from "./import-form";

export const metadata: Metadata = { title: "Keep your auto-replies" };
export const dynamic = "force-dynamic";

type R = Dictionary["replyImport"];

export default async function KeepAutorepliesPage({ params }: { params: Promise<{ appid: string }> }) {
  const { account, role } = await requireAccount((await params).appid);
  const { t } = await getI18n();
  const r = t.replyImport;
  const at = (sub: `/${string}`) => accountPath(account.appId, sub);

  // What the MP admin holds is read on every visit: it is the thing being copied, and it changes there.
  let platform: PlatformRuleView[] | null = null;
  let failure: ImportFailure | null = null;
  try {
    platform = listPlatformRules(await fetchPlatformAutoreply(account.id));
  } catch (err) {
    failure = describeImportFailure(err, t);
    if (!failure) throw err;
  }
  // Read after the attempt, which may have just tried to get one.
  const noToken = !!failure && (await getTokenStatus(account.id)).state !== "valid";

  const prisma = getPrisma();
  const imported = await prisma.replyRule.findMany({
    where: { accountId: account.id, origin: "wechat_import" },
    include: { keywords: { orderBy: { position: "asc" } }, replies: { orderBy: { position: "asc" } } },
    orderBy: [{ priority: "asc" }, { name: "asc" }],
  });
  const mediaIds = imported.flatMap((rule) => rule.replies.map((m) => m.mediaId).filter((id): id is string => !!id));
  const assets = mediaIds.length
    ? await prisma.mediaAsset.findMany({ where: { accountId: account.id, mediaId: { in: mediaIds } }, select: { id: true, mediaId: true } })
    : [];
  const assetOf = new Map(assets.map((a) => [a.mediaId, a.id]));
  const order = { welcome: 0, default: 1, keyword: 2, click: 3, scan: 4 } as const;
  imported.sort((a, b) => order[a.trigger] - order[b.trigger]);

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader title={r.title} description={r.intro} />
        <CardBody className="space-y-4">
          {failure ? (
            <>
              {noToken ? <NoTokenNotice href={at("/settings/api")} t={t.setup.noToken} /> : null}
              <Callout tone="danger" role="alert" title={r.errorTitle}>
                <p>{failure.what}</p>
                <p>{failure.fix}</p>
              </Callout>
            </>
          ) : platform && !platform.length ? (
            <Callout tone="tip">{r.nothingOnPlatform}</Callout>
          ) : null}
          {platform && platform.length ? (
            <section aria-labelledby="platform-rules" className="space-y-3">
              <div>
                <h3 id="platform-rules" className="text-sm font-semibold text-slate-900">
                  {r.platformTitle}
                </h3>
                <p className="text-sm text-slate-500">{r.platformIntro}</p>
              </div>
              <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200">
                {platform.map((rule) => (
                  <PlatformRule key={rule.originKey} rule={rule} r={r} />
                ))}
              </ul>
              {role === "admin" ? <ImportForm appId={account.appId} again={imported.length > 0} t={r} /> : <Callout tone="tip">{r.adminsOnly}</Callout>}
            </section>
          ) : null}
        </CardBody>
      </Card>

      <Card>
        <CardHeader title={r.importedTitle} description={r.importedIntro} />
        <CardBody>
          {imported.length ? (
            <ul aria-label={r.importedTitle} className="divide-y divide-slate-100 rounded-lg border border-slate-200">
              {imported.map((rule) => (
                <li key={rule.id} className="space-y-2 px-4 py-3">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-medium text-slate-900">{rule.name}</span>
                    <TriggerBadge trigger={rule.trigger} name={rule.name} r={r} />
                    <Badge tone={rule.enabled ? "green" : "amber"}>{rule.enabled ? r.enabled : r.disabled}</Badge>
                    {rule.replyMode === "all" ? (
                      <Badge tone="violet">{r.replyAll}</Badge>
                    ) : rule.replyMode === "random" ? (
                      <Badge tone="blue">{r.randomOne}</Badge>
                    ) : null}
                  </div>
                  {rule.disabledReason ? <p className="text-sm text-amber-800">{r.reasons[rule.disabledReason] ?? rule.disabledReason}</p> : null}
                  <Keywords keywords={rule.keywords} r={r} />
                  <ul className="space-y-2">
                    {rule.replies.map((m) => (
                      <li key={m.position}>
                        <KeptReply
                          reply={replyFromColumns(m)}
                          src={m.mediaId && assetOf.has(m.mediaId) ? accountMediaPath(account.appId, assetOf.get(m.mediaId)!) : null}
                          r={r}
                        />
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-500">{r.noneImported}</p>
          )}
        </CardBody>
      </Card>

      <div className="flex flex-wrap gap-3">
        <Link href={at("/settings/menu")} className={buttonClass("ghost")}>
          ← {t.common.back}
        </Link>
        <Link href={at("/settings/server")} className={buttonClass("secondary")}>
          {r.next} →
        </Link>
      </div>
    </div>
  );
}

/** The kind of rule, unless its name already says it (the welcome and default rules are named for it). */
function TriggerBadge({ trigger, name, r }: { trigger: string; name: string; r: R }) {
  const label = trigger === "welcome" ? r.welcome : trigger === "default" ? r.default : r.keyword;
  return label === name ? null : <Badge tone="neutral">{label}</Badge>;
}

function Keywords({ keywords, r }: { keywords: Array<{ match: string; pattern: string }>; r: R }) {
  if (!keywords.length) return null;
  return (
    <p className="flex flex-wrap gap-1.5 text-sm">
      {keywords.map((k, i) => (
        <span key={i} className="rounded-md bg-slate-100 px-1.5 py-0.5 text-slate-800">
          {k.pattern} <span className="text-xs text-slate-500">· {k.match === "equal" ? r.matchEqual : k.match === "contain" ? r.matchContain : k.match}</span>
        </span>
      ))}
    </p>
  );
}

function PlatformRule({ rule, r }: { rule: PlatformRuleView; r: R }) {
  return (
    <li className="space-y-2 px-4 py-3">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium text-slate-900">{rule.name}</span>
        <TriggerBadge trigger={rule.trigger} name={rule.name} r={r} />
        {rule.replyMode ? (
          <Badge tone={rule.replyMode === "reply_all" ? "violet" : "blue"}>{rule.replyMode === "reply_all" ? r.replyAll : r.randomOne}</Badge>
        ) : null}
        {!rule.open ? <Badge tone="amber">{r.switchedOff}</Badge> : null}
      </div>
      <Keywords keywords={rule.keywords} r={r} />
      <ul className="space-y-1.5">
        {rule.replies.map((item, i) => (
          <li key={i}>
            <PlatformReply item={item} r={r} />
          </li>
        ))}
      </ul>
    </li>
  );
}

function Bubble({ kind, children }: { kind: string; children: React.ReactNode }) {
  return (
    <div className="flex items-start gap-2 text-sm">
      <span className="mt-0.5 shrink-0 rounded bg-emerald-50 px-1.5 py-0.5 text-xs font-medium text-emerald-800">{kind}</span>
      <div className="min-w-0 break-words whitespace-pre-wrap text-slate-800">{children}</div>
    </div>
  );
}

function PlatformReply({ item, r }: { item: PlatformReplyItem; r: R }) {
  const kind = r.replyTypes[item.type] ?? item.type;
  if (item.type === "text") return <Bubble kind={kind}>{item.content}</Bubble>;
  if (item.type === "news") {
    const [first, ...rest] = item.news_info?.list ?? [];
    return (
      <Bubble kind={kind}>
        {first?.title}
        {rest.length ? <span className="block text-xs text-slate-500">{fmt(r.moreArticles, { n: rest.length })}</span> : null}
      </Bubble>
    );
  }
  return (
    <Bubble kind={kind}>
      <span className="text-slate-500">{r.mediaBeforeImport}</span>
    </Bubble>
  );
}

function KeptReply({ reply, src, r }: { reply: RuleReply; src: string | null; r: R }) {
  const kind = r.replyTypes[reply.type] ?? reply.type;
  switch (reply.type) {
    case "text":
      return <Bubble kind={kind}>{reply.content}</Bubble>;
    case "news":
      return (
        <Bubble kind={kind}>
          {reply.article.url ? (
            <a href={reply.article.url} className="text-emerald-700 underline" rel="noreferrer noopener" target="_blank">
              {reply.article.title}
            </a>
          ) : (
            reply.article.title
          )}
          {reply.article.description ? <span className="block text-xs text-slate-500">{reply.article.description}</span> : null}
        </Bubble>
      );
    case "image":
      return (
        <Bubble kind={kind}>
          {src ? <img src={src} alt={kind} className="max-h-40 max-w-xs rounded border border-slate-200" /> : <code className="text-xs">{reply.mediaId}</code>}
        </Bubble>
      );
    case "voice":
      return <Bubble kind={kind}>{src ? <audio controls src={src} aria-label={kind} /> : <code className="text-xs">{reply.mediaId}</code>}</Bubble>;
    case "video":
      return (
        <Bubble kind={kind}>
          {src ? <video controls src={src} aria-label={kind} className="max-h-48 max-w-xs rounded" /> : <code className="text-xs">{reply.mediaId}</code>}
        </Bubble>
      );
    default:
      return <Bubble kind={kind}>{reply.type}</Bubble>;
  }
}
