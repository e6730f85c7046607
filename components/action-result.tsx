"use client";

import { useId } from "react";
import type { Dictionary } from "@/lib/i18n";
import { Callout } from "./ui/callout";
import { SecretField } from "./ui/secret-field";

/** A server action's answer; a secret it created (a password, an API key) is shown this once, copyable. */
export function ActionResult({
  state,
  common,
  secretLabel,
  secretTestId,
}: {
  state: { ok: boolean; message: string; secret?: string } | null;
  common: Dictionary["common"];
  secretLabel?: string;
  secretTestId?: string;
}) {
  const id = useId();
  if (!state) return null;
  return (
    <Callout tone={state.ok ? "success" : "danger"} role={state.ok ? "status" : "alert"}>
      <p>{state.message}</p>
      {state.secret ? (
        <div className="mt-2">
          {/* Without a label of its own, the message above says what the secret is. */}
          <SecretField
            id={`${id}-secret`}
            testId={secretTestId}
            label={secretLabel ?? common.oneTimeSecret}
            labelHidden={!secretLabel}
            value={state.secret}
            tone="callout"
            labels={{ show: common.show, hide: common.hide, copy: common.copy, copied: common.copied }}
          />
        </div>
      ) : null}
    </Callout>
  );
}
