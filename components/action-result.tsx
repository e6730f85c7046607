"use client";

import type { Dictionary } from "@/lib/i18n";
import { Callout } from "./ui/callout";
import { CopyButton } from "./ui/copy-button";

/** A server action's answer; a secret it created (a password, an API key) is shown this once, copyable. */
export function ActionResult({ state, common, secretLabel, secretTestId }: { state: { ok: boolean; message: string; secret?: string } | null; common: Dictionary["common"]; secretLabel?: string; secretTestId?: string }) {
  if (!state) return null;
  return (
    <Callout tone={state.ok ? "success" : "danger"} role={state.ok ? "status" : "alert"}>
      <p>{state.message}</p>
      {state.secret ? (
        <div className="mt-2 flex flex-wrap items-center gap-2">
          {secretLabel ? <span className="text-xs">{secretLabel}</span> : null}
          <code data-testid={secretTestId} className="break-all rounded bg-white px-2 py-1 font-mono text-sm text-slate-900 ring-1 ring-emerald-200">
            {state.secret}
          </code>
          <CopyButton value={state.secret} label={common.copy} copiedLabel={common.copied} />
        </div>
      ) : null}
    </Callout>
  );
}
