"use client";

import Link from "next/link";
import { startTransition, useActionState, useRef, useState } from "react";
import { ActionResult } from "@/components/action-result";
import { WeChatReplyBubble, type BubbleMedia } from "@/components/wechat-bubble";
import { Button, buttonClass } from "@/components/ui/button";
import { Callout } from "@/components/ui/callout";
import { cn } from "@/components/ui/cn";
import { Field, fieldIds } from "@/components/ui/field";
import { controlClass, Input, Select } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { accountApiPath, accountMediaPath, accountPath } from "@/lib/accounts/account-path";
import { fmt, type Dictionary } from "@/lib/i18n";
import type { MediaKind } from "@/lib/media/types";
import type { RuleReply } from "@/lib/replies/rule-fields";
import { KEYWORD_MATCHES, REPLY_MODES, TRIGGERS, type KeywordMatch, type ReplyMode, type Trigger } from "@/lib/replies/rule-kinds";
import { deleteRuleAction, saveRuleAction } from "./actions";
import type { RuleDraft } from "./rule-draft";
import type { LibraryItem } from "./rule-page-data";

type R = Dictionary["rules"];
type ReplyType = RuleReply["type"];
const REPLY_TYPES: ReplyType[] = ["text", "image", "voice", "video", "music", "news"];

/** Every field any reply type has, as typed; toReply keeps the ones of its type. */
type DraftReply = {
  type: ReplyType;
  content: string;
  mediaId: string;
  thumbMediaId: string;
  title: string;
  description: string;
  musicUrl: string;
  hqMusicUrl: string;
  url: string;
  picUrl: string;
};

const blank: DraftReply = {
  type: "text",
  content: "",
  mediaId: "",
  thumbMediaId: "",
  title: "",
  description: "",
  musicUrl: "",
  hqMusicUrl: "",
  url: "",
  picUrl: "",
};

function toDraft(r: RuleReply): DraftReply {
  switch (r.type) {
    case "text":
      return { ...blank, type: "text", content: r.content };
    case "image":
    case "voice":
      return { ...blank, type: r.type, mediaId: r.mediaId };
    case "video":
      return { ...blank, type: "video", mediaId: r.mediaId, title: r.title ?? "", description: r.description ?? "" };
    case "music":
      return {
        ...blank,
        type: "music",
        thumbMediaId: r.thumbMediaId,
        title: r.title ?? "",
        description: r.description ?? "",
        musicUrl: r.musicUrl ?? "",
        hqMusicUrl: r.hqMusicUrl ?? "",
      };
    case "news":
      return {
        ...blank,
        type: "news",
        title: r.article.title,
        description: r.article.description ?? "",
        url: r.article.url ?? "",
        picUrl: r.article.picUrl ?? "",
      };
  }
}

const opt = <K extends string>(key: K, v: string) => (v.trim() ? ({ [key]: v.trim() } as Record<K, string>) : {});

function toReply(d: DraftReply): RuleReply {
  switch (d.type) {
    case "text":
      return { type: "text", content: d.content };
    case "image":
    case "voice":
      return { type: d.type, mediaId: d.mediaId };
    case "video":
      return { type: "video", mediaId: d.mediaId, ...opt("title", d.title), ...opt("description", d.description) };
    case "music":
      return {
        type: "music",
        thumbMediaId: d.thumbMediaId,
        ...opt("title", d.title),
        ...opt("description", d.description),
        ...opt("musicUrl", d.musicUrl),
        ...opt("hqMusicUrl", d.hqMusicUrl),
      };
    case "news":
      return { type: "news", article: { title: d.title, ...opt("description", d.description), ...opt("url", d.url), ...opt("picUrl", d.picUrl) } };
  }
}

type UploadAnswer = { id: string; mediaId: string; kind: MediaKind; filename: string } | { error: string; reason?: string; errcode?: number; errmsg?: string };

/** Choose a kept file of this kind, or upload one to WeChat as permanent material. */
function MediaPicker({
  id,
  kind,
  value,
  onChange,
  library,
  onUploaded,
  appId,
  error,
  label,
  r,
}: {
  id: string;
  kind: MediaKind;
  value: string;
  onChange: (mediaId: string) => void;
  library: LibraryItem[];
  onUploaded: (item: LibraryItem) => void;
  appId: string;
  error?: string;
  label: string;
  r: R;
}) {
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const items = library.filter((m) => m.kind === kind);
  const known = items.some((m) => m.mediaId === value);
  async function upload(file: File) {
    setBusy(true);
    setNote(null);
    const form = new FormData();
    form.set("kind", kind);
    form.set("file", file);
    try {
      const res = await fetch(accountApiPath("/api/media", appId), { method: "POST", body: form });
      const answer = (await res.json()) as UploadAnswer;
      if ("mediaId" in answer) {
        onUploaded({ ...answer, src: accountMediaPath(appId, answer.id) });
        onChange(answer.mediaId);
        setNote({ ok: true, text: fmt(r.editor.uploaded, { name: answer.filename }) });
      } else if (answer.error === "invalid_media" && answer.reason) {
        const limit = { image: "2 MB", voice: "2 MB", video: "10 MB", thumb: "64 KB" }[kind];
        const ext = { image: "JPG/PNG/GIF/BMP", voice: "AMR/MP3", video: "MP4", thumb: "JPG" }[kind];
        setNote({ ok: false, text: fmt(r.media.problems[answer.reason] ?? r.media.failed, { kind: r.media.kinds[kind], max: limit, ext }) });
      } else if (answer.error === "wechat_error") {
        setNote({ ok: false, text: fmt(r.media.wechatError, { errcode: answer.errcode ?? "", errmsg: answer.errmsg ?? "" }) });
      } else setNote({ ok: false, text: r.media.failed });
    } catch {
      setNote({ ok: false, text: r.media.failed });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Field id={id} label={label} error={error}>
      <div className="flex flex-wrap items-center gap-2">
        <Select {...fieldIds(id, { error: !!error })} value={value} onChange={(e) => onChange(e.target.value)} className="min-w-[12rem] flex-1">
          <option value="">{items.length ? r.editor.chooseMedia : r.editor.noMedia}</option>
          {value && !known ? <option value={value}>{fmt(r.editor.mediaIdOnly, { id: value })}</option> : null}
          {items.map((m) => (
            <option key={m.id} value={m.mediaId}>
              {m.filename}
            </option>
          ))}
        </Select>
        <Button variant="secondary" size="sm" disabled={busy} onClick={() => fileInput.current?.click()}>
          {busy ? r.editor.uploading : r.editor.upload}
        </Button>
        <input
          ref={fileInput}
          type="file"
          tabIndex={-1}
          className="sr-only"
          aria-label={`${label}: ${r.editor.upload}`}
          disabled={busy}
          accept={{ image: "image/jpeg,image/png,image/gif,image/bmp", voice: ".amr,.mp3,audio/mpeg,audio/amr", video: "video/mp4", thumb: "image/jpeg" }[kind]}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void upload(file);
            e.target.value = "";
          }}
        />
      </div>
      {note ? (
        <p role={note.ok ? "status" : "alert"} className={cn("text-xs", note.ok ? "text-emerald-700" : "text-red-600")}>
          {note.text}
        </p>
      ) : null}
    </Field>
  );
}

export function RuleEditor({
  appId,
  ruleId,
  initial,
  canEdit,
  canReplyAll,
  tz,
  library: initialLibrary,
  t,
  common,
}: {
  appId: string;
  ruleId: string | null;
  initial: RuleDraft;
  canEdit: boolean;
  canReplyAll: boolean;
  tz: string;
  library: LibraryItem[];
  t: R;
  common: Dictionary["common"];
}) {
  const [draft, setDraft] = useState(initial);
  const [replies, setReplies] = useState(() => initial.replies.map(toDraft));
  const [library, setLibrary] = useState(initialLibrary);
  const [cooldown, setCooldown] = useState(String(initial.cooldownSeconds));
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [state, save, saving] = useActionState(saveRuleAction, null);
  const [deleteState, remove] = useActionState(deleteRuleAction, null);
  const e = t.editor;
  const err = (path: string) => (state && !state.ok ? state.errors?.[path] : undefined);
  const set = (patch: Partial<RuleDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const setReply = (i: number, patch: Partial<DraftReply>) => setReplies((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const keyed = draft.trigger === "click" || draft.trigger === "scan";
  const media: Record<string, BubbleMedia> = Object.fromEntries(library.map((m) => [m.mediaId, { src: m.src, filename: m.filename }]));

  const cooldownNumber = Number(cooldown);
  const payload = {
    name: draft.name,
    trigger: draft.trigger,
    keywords: draft.trigger === "keyword" ? draft.keywords : [],
    eventKey: keyed ? draft.eventKey : null,
    enabled: draft.enabled,
    window: draft.window,
    replyMode: draft.replyMode,
    cooldownSeconds: cooldown.trim() !== "" && Number.isInteger(cooldownNumber) ? cooldownNumber : cooldown,
    replies: replies.map(toReply),
  };
  const errors = state && !state.ok && state.errors ? Object.values(state.errors) : [];

  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_20rem]">
      {/* Submitted by hand, not as a form action: React resets a form after its action, which would
          put every controlled <select> back on its first option while the state keeps the choice. */}
      <form
        className="min-w-0 space-y-6"
        onSubmit={(ev) => {
          ev.preventDefault();
          const form = new FormData(ev.currentTarget);
          startTransition(() => save(form));
        }}
      >
        <input type="hidden" name="account" value={appId} />
        <input type="hidden" name="id" value={ruleId ?? ""} />
        <input type="hidden" name="rule" value={JSON.stringify(payload)} />
        <fieldset disabled={!canEdit} className="space-y-6">
          <section className="space-y-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <Field id="rule-name" label={e.name} hint={e.nameHint} error={err("name")}>
              <Input
                {...fieldIds("rule-name", { hint: true, error: !!err("name") })}
                value={draft.name}
                onChange={(ev) => set({ name: ev.target.value })}
                maxLength={64}
                autoComplete="off"
              />
            </Field>
            <Field id="rule-trigger" label={e.trigger}>
              <Select id="rule-trigger" value={draft.trigger} onChange={(ev) => set({ trigger: ev.target.value as Trigger })}>
                {TRIGGERS.map((tr) => (
                  <option key={tr} value={tr}>
                    {t.triggers[tr]}
                  </option>
                ))}
              </Select>
            </Field>
            {draft.trigger === "keyword" ? (
              <fieldset className="space-y-2">
                <legend className="text-sm font-medium text-slate-800">{e.keywords}</legend>
                <p className="text-xs text-slate-500">{e.keywordsHint}</p>
                {err("keywords") ? (
                  <p role="alert" className="text-sm text-red-600">
                    {err("keywords")}
                  </p>
                ) : null}
                {draft.keywords.map((k, i) => {
                  const path = `keywords[${i}].pattern`;
                  const n = i + 1;
                  return (
                    <div key={i} className="flex flex-wrap items-start gap-2">
                      <Field id={`kw-match-${i}`} label={fmt(e.matchOf, { n })} labelHidden className="w-32">
                        <Select
                          id={`kw-match-${i}`}
                          value={k.match}
                          onChange={(ev) => set({ keywords: draft.keywords.map((x, j) => (j === i ? { ...x, match: ev.target.value as KeywordMatch } : x)) })}
                        >
                          {KEYWORD_MATCHES.map((m) => (
                            <option key={m} value={m}>
                              {t.matches[m]}
                            </option>
                          ))}
                        </Select>
                      </Field>
                      <Field id={`kw-${i}`} label={fmt(e.keyword, { n })} labelHidden error={err(path)} className="min-w-[12rem] flex-1">
                        <Input
                          {...fieldIds(`kw-${i}`, { error: !!err(path) })}
                          value={k.pattern}
                          onChange={(ev) => set({ keywords: draft.keywords.map((x, j) => (j === i ? { ...x, pattern: ev.target.value } : x)) })}
                          maxLength={256}
                          autoComplete="off"
                          spellCheck={false}
                          className={k.match === "regex" ? "font-mono" : undefined}
                        />
                      </Field>
                      <Button
                        variant="ghost"
                        size="sm"
                        className="mt-1"
                        aria-label={fmt(e.removeKeyword, { n })}
                        disabled={draft.keywords.length === 1}
                        onClick={() => set({ keywords: draft.keywords.filter((_, j) => j !== i) })}
                      >
                        ✕
                      </Button>
                    </div>
                  );
                })}
                <Button
                  variant="secondary"
                  size="sm"
                  disabled={draft.keywords.length >= 20}
                  onClick={() => set({ keywords: [...draft.keywords, { match: "contain", pattern: "" }] })}
                >
                  {e.addKeyword}
                </Button>
              </fieldset>
            ) : null}
            {keyed ? (
              <Field
                id="rule-event-key"
                label={draft.trigger === "click" ? e.eventKeyClick : e.eventKeyScan}
                hint={draft.trigger === "click" ? e.eventKeyClickHint : e.eventKeyScanHint}
                error={err("eventKey")}
              >
                <Input
                  {...fieldIds("rule-event-key", { hint: true, error: !!err("eventKey") })}
                  value={draft.eventKey}
                  onChange={(ev) => set({ eventKey: ev.target.value })}
                  maxLength={128}
                  autoComplete="off"
                  className="font-mono"
                />
              </Field>
            ) : null}
          </section>

          <section className="space-y-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 className="text-base font-semibold text-slate-900">{e.replies}</h2>
            {err("replies") ? (
              <p role="alert" className="text-sm text-red-600">
                {err("replies")}
              </p>
            ) : null}
            {replies.map((reply, i) => {
              const n = i + 1;
              const p = `replies[${i}]`;
              const text = (field: keyof DraftReply, label: string, path: string, opts: { long?: boolean; url?: boolean } = {}) => {
                const id = `reply-${i}-${field}`;
                return (
                  <Field id={id} label={label} error={err(path)}>
                    {opts.long ? (
                      <textarea
                        {...fieldIds(id, { error: !!err(path) })}
                        value={reply[field]}
                        onChange={(ev) => setReply(i, { [field]: ev.target.value })}
                        rows={3}
                        maxLength={2000}
                        className={cn(controlClass, "py-2")}
                      />
                    ) : (
                      <Input
                        {...fieldIds(id, { error: !!err(path) })}
                        type={opts.url ? "url" : "text"}
                        value={reply[field]}
                        onChange={(ev) => setReply(i, { [field]: ev.target.value })}
                        autoComplete="off"
                      />
                    )}
                  </Field>
                );
              };
              return (
                <fieldset key={i} className="space-y-3 rounded-lg border border-slate-200 p-4">
                  <legend className="px-1 text-sm font-medium text-slate-800">{fmt(e.reply, { n })}</legend>
                  <div className="flex flex-wrap items-end gap-2">
                    <Field id={`reply-${i}-type`} label={fmt(e.replyType, { n })} className="w-40">
                      <Select id={`reply-${i}-type`} value={reply.type} onChange={(ev) => setReply(i, { type: ev.target.value as ReplyType })}>
                        {REPLY_TYPES.map((rt) => (
                          <option key={rt} value={rt}>
                            {t.replyTypes[rt]}
                          </option>
                        ))}
                      </Select>
                    </Field>
                    <div className="ml-auto flex gap-1">
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={fmt(e.moveReplyUp, { n })}
                        disabled={i === 0}
                        onClick={() => setReplies((rs) => [...rs.slice(0, i - 1), rs[i]!, rs[i - 1]!, ...rs.slice(i + 1)])}
                      >
                        ↑
                      </Button>
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={fmt(e.removeReply, { n })}
                        disabled={replies.length === 1}
                        onClick={() => setReplies((rs) => rs.filter((_, j) => j !== i))}
                      >
                        ✕
                      </Button>
                    </div>
                  </div>
                  {reply.type === "text" ? text("content", e.content, `${p}.content`, { long: true }) : null}
                  {reply.type === "image" || reply.type === "voice" || reply.type === "video" ? (
                    <MediaPicker
                      id={`reply-${i}-media`}
                      kind={reply.type}
                      value={reply.mediaId}
                      onChange={(mediaId) => setReply(i, { mediaId })}
                      library={library}
                      onUploaded={(item) => setLibrary((l) => [item, ...l])}
                      appId={appId}
                      error={err(`${p}.mediaId`)}
                      label={`${e.media} (${t.replyTypes[reply.type]})`}
                      r={t}
                    />
                  ) : null}
                  {reply.type === "video" ? (
                    <>
                      {text("title", e.title, `${p}.title`)}
                      {text("description", e.description, `${p}.description`, { long: true })}
                    </>
                  ) : null}
                  {reply.type === "music" ? (
                    <>
                      {text("title", e.title, `${p}.title`)}
                      {text("description", e.description, `${p}.description`)}
                      {text("musicUrl", e.musicUrl, `${p}.musicUrl`, { url: true })}
                      {text("hqMusicUrl", e.hqMusicUrl, `${p}.hqMusicUrl`, { url: true })}
                      <MediaPicker
                        id={`reply-${i}-thumb`}
                        kind="thumb"
                        value={reply.thumbMediaId}
                        onChange={(thumbMediaId) => setReply(i, { thumbMediaId })}
                        library={library}
                        onUploaded={(item) => setLibrary((l) => [item, ...l])}
                        appId={appId}
                        error={err(`${p}.thumbMediaId`)}
                        label={e.thumb}
                        r={t}
                      />
                    </>
                  ) : null}
                  {reply.type === "news" ? (
                    <>
                      {text("title", e.articleTitle, `${p}.article.title`)}
                      {text("description", e.description, `${p}.article.description`, { long: true })}
                      {text("url", e.articleUrl, `${p}.article.url`, { url: true })}
                      {text("picUrl", e.picUrl, `${p}.article.picUrl`, { url: true })}
                    </>
                  ) : null}
                </fieldset>
              );
            })}
            <Button variant="secondary" size="sm" disabled={replies.length >= 5} onClick={() => setReplies((rs) => [...rs, { ...blank }])}>
              {e.addReply}
            </Button>
          </section>

          <section className="space-y-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium text-slate-800">{e.mode}</legend>
              {REPLY_MODES.map((m) => {
                const unavailable = m === "all" && !canReplyAll;
                return (
                  <label key={m} className={cn("flex items-start gap-2 text-sm", unavailable && "text-slate-400")}>
                    <input
                      type="radio"
                      name="replyModeChoice"
                      value={m}
                      checked={draft.replyMode === m}
                      disabled={unavailable}
                      aria-describedby={unavailable ? "reply-all-unavailable" : undefined}
                      onChange={() => set({ replyMode: m })}
                      className="mt-1 accent-emerald-600"
                    />
                    <span>
                      <span className="font-medium">{t.modes[m]}</span> <span className="text-xs text-slate-500">{e.modeHints[m]}</span>
                    </span>
                  </label>
                );
              })}
              {!canReplyAll ? (
                <p id="reply-all-unavailable" className="text-xs text-amber-800">
                  {e.allUnavailable}
                </p>
              ) : null}
              {!canReplyAll && draft.replyMode === "all" ? <Callout tone="warning">{e.upgradeMode}</Callout> : null}
              {err("replyMode") ? (
                <p role="alert" className="text-sm text-red-600">
                  {err("replyMode")}
                </p>
              ) : null}
            </fieldset>

            <fieldset className="space-y-2">
              <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
                <input
                  type="checkbox"
                  checked={!!draft.window}
                  onChange={(ev) => set({ window: ev.target.checked ? { start: "18:00", end: "09:00" } : null })}
                  className="accent-emerald-600"
                />
                {e.window}
              </label>
              <p className="text-xs text-slate-500">{fmt(e.windowHint, { tz })}</p>
              {draft.window ? (
                <div className="flex flex-wrap gap-3">
                  <Field id="window-start" label={e.windowStart} error={err("window.start")} className="w-36">
                    <Input
                      {...fieldIds("window-start", { error: !!err("window.start") })}
                      type="time"
                      value={draft.window.start}
                      onChange={(ev) => set({ window: { ...draft.window!, start: ev.target.value } })}
                    />
                  </Field>
                  <Field id="window-end" label={e.windowEnd} error={err("window.end")} className="w-36">
                    <Input
                      {...fieldIds("window-end", { error: !!err("window.end") })}
                      type="time"
                      value={draft.window.end}
                      onChange={(ev) => set({ window: { ...draft.window!, end: ev.target.value } })}
                    />
                  </Field>
                </div>
              ) : null}
              {err("window") ? (
                <p role="alert" className="text-sm text-red-600">
                  {err("window")}
                </p>
              ) : null}
            </fieldset>

            {draft.trigger === "default" ? (
              <Field id="rule-cooldown" label={e.cooldown} hint={e.cooldownHint} error={err("cooldownSeconds")}>
                <Input
                  {...fieldIds("rule-cooldown", { hint: true, error: !!err("cooldownSeconds") })}
                  type="number"
                  min={0}
                  max={2592000}
                  step={1}
                  value={cooldown}
                  onChange={(ev) => setCooldown(ev.target.value)}
                  className="w-40"
                />
              </Field>
            ) : null}

            <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
              <input type="checkbox" checked={draft.enabled} onChange={(ev) => set({ enabled: ev.target.checked })} className="accent-emerald-600" />
              {e.enabled}
            </label>
          </section>
        </fieldset>

        {state && !state.ok ? (
          <Callout tone="danger" role="alert">
            <p>{state.message}</p>
            {errors.length ? (
              <ul className="mt-1 list-disc pl-5" data-testid="rule-errors">
                {errors.map((m, i) => (
                  <li key={i}>{m}</li>
                ))}
              </ul>
            ) : null}
          </Callout>
        ) : null}
        <div className="flex flex-wrap items-center gap-3">
          {canEdit ? (
            <Button type="submit" disabled={saving} aria-disabled={saving}>
              {saving ? common.saving : e.save}
            </Button>
          ) : null}
          <Link href={accountPath(appId, "/rules")} className={buttonClass("ghost")}>
            {e.back}
          </Link>
        </div>
      </form>

      <aside className="space-y-4">
        <div className="space-y-3 rounded-xl bg-[#ededed] p-4" aria-label={t.tester.title}>
          {replies.map((reply, i) => (
            <WeChatReplyBubble key={i} reply={toReply(reply)} media={media} labels={t.bubble} />
          ))}
        </div>
        {canEdit && ruleId ? (
          <form action={remove} className="space-y-2">
            <input type="hidden" name="account" value={appId} />
            <input type="hidden" name="id" value={ruleId} />
            {confirmDelete ? (
              <>
                <p className="text-sm text-red-700">{fmt(e.deleteConfirm, { name: initial.name })}</p>
                <div className="flex gap-2">
                  <SubmitButton variant="danger" pendingLabel={common.saving}>
                    {e.deleteYes}
                  </SubmitButton>
                  <Button variant="ghost" onClick={() => setConfirmDelete(false)}>
                    {common.cancel}
                  </Button>
                </div>
              </>
            ) : (
              <Button variant="danger" onClick={() => setConfirmDelete(true)}>
                {e.delete}
              </Button>
            )}
            <ActionResult state={deleteState} common={common} />
          </form>
        ) : null}
      </aside>
    </div>
  );
}
