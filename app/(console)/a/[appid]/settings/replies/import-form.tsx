"use client";

import { useActionState } from "react";
import { Callout } from "@/components/ui/callout";
import { SubmitButton } from "@/components/ui/submit-button";
import { fmt, type Dictionary } from "@/lib/i18n";
import { importAutorepliesAction } from "./actions";

/** The one click that imports the platform's auto-replies, and what it changed. */
export function ImportForm({ appId, again, t }: { appId: string; again: boolean; t: Dictionary["replyImport"] }) {
  const [state, action] = useActionState(importAutorepliesAction, null);
  const s = state?.summary;
  const names = (list: string[]) => list.map((name) => fmt(t.quoted, { name })).join(t.listSeparator);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="account" value={appId} />
      <SubmitButton pendingLabel={t.importing}>{again ? t.reimportButton : t.importButton}</SubmitButton>
      {state ? (
        <Callout tone={state.ok ? "success" : "danger"} role={state.ok ? "status" : "alert"} title={state.message}>
          {state.fix ? <p>{state.fix}</p> : null}
          {s ? (
            <ul className="mt-1 list-disc space-y-1 pl-5">
              {s.added.length ? <li>{fmt(t.addedList, { names: names(s.added) })}</li> : null}
              {s.updated.length ? <li>{fmt(t.updatedList, { names: names(s.updated) })}</li> : null}
              {s.removed.length ? <li>{fmt(t.removed, { names: names(s.removed) })}</li> : null}
              {s.disabled.length ? (
                <li>
                  {t.disabledList}
                  <ul className="list-[circle] pl-5">
                    {s.disabled.map((d) => (
                      <li key={d.name}>{fmt(t.disabledItem, { name: d.name, reason: t.reasons[d.reason] ?? d.reason })}</li>
                    ))}
                  </ul>
                </li>
              ) : null}
              {s.skipped.length ? (
                <li>
                  {t.skippedList}
                  {s.skipped.map((d) => fmt(t.disabledItem, { name: d.name, reason: t.skippedReasons[d.reason] ?? d.reason })).join(t.listSeparator || "；")}
                </li>
              ) : null}
              {s.droppedReplies.map((d, i) => (
                <li key={`r${i}`}>
                  {fmt(t.droppedReply, { name: d.name, type: t.replyTypes[d.type] ?? d.type, reason: t.droppedReasons[d.reason] ?? d.reason })}
                </li>
              ))}
              {s.droppedArticles.map((d) => (
                <li key={`a${d.name}`}>{fmt(t.droppedArticles, { name: d.name, titles: d.titles.join("、") })}</li>
              ))}
              {s.media ? <li>{fmt(t.mediaKept, { n: s.media })}</li> : null}
            </ul>
          ) : null}
        </Callout>
      ) : null}
    </form>
  );
}
