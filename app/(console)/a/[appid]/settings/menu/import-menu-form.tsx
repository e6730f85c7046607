"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Callout } from "@/components/ui/callout";
import { SubmitButton } from "@/components/ui/submit-button";
import { fmt, type Dictionary } from "@/lib/i18n";
import { importMenuAction } from "./actions";

/** The one click that imports the menu followers see now, and what became of each converted button. */
export function ImportMenuForm({ appId, editorHref, t }: { appId: string; editorHref: string; t: Dictionary["customMenu"]["takeover"] }) {
  const [state, action] = useActionState(importMenuAction, null);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="account" value={appId} />
      <SubmitButton pendingLabel={t.importing}>{t.importButton}</SubmitButton>
      {state ? (
        <Callout tone={state.ok ? "success" : "danger"} role={state.ok ? "status" : "alert"} title={state.message}>
          {state.converted?.length ? (
            <ul className="mt-1 list-disc space-y-1 pl-5">
              {state.converted.map((c) => (
                <li key={c.path}>
                  {c.rule
                    ? fmt(t.convertedItem, { name: c.name, from: c.from, key: c.key, rule: c.rule })
                    : fmt(t.lostItem, { name: c.name, from: c.from, key: c.key, reason: t.lostReasons[c.problem ?? "unsupported"] })}
                </li>
              ))}
            </ul>
          ) : null}
          {state.ok ? (
            <p className="mt-2">
              <Link href={editorHref}>{t.review} →</Link>
            </p>
          ) : null}
        </Callout>
      ) : null}
    </form>
  );
}
