"use client";

import { useState, useTransition, type ReactNode } from "react";
import { Button } from "./button";
import { cn } from "./cn";
import { CopyButton } from "./copy-button";
import { Field, fieldIds } from "./field";
import { Input } from "./input";

export type SecretFieldLabels = { show: string; hide: string; copy: string; copied: string };

const boxes = {
  plain: "rounded-lg border border-slate-200 bg-slate-50 px-3 py-2",
  // Inside a success callout, where a secret that was just created is shown once.
  callout: "rounded bg-white px-2 py-1 ring-1 ring-emerald-200",
} as const;

/**
 * The one way a secret is displayed.
 *
 * - A saved secret, `mask` (••••1234): given `reveal` (only admins' pages pass one), Show fetches
 *   the full value from the server and Copy copies it; without it the mask is all there is,
 *   because the full value was never sent.
 * - A secret created just now, `value` (a new API key, a generated password): shown in full
 *   this once, with Copy.
 *
 * `control="input"` puts the mask where a form's input would be, read-only and labelled like
 * one, so a form can swap it for an editable input when the user chooses to replace the secret
 * (`aside` holds that choice, `actions` any button that goes beside the value).
 */
export function SecretField({
  id,
  label,
  labels,
  mask,
  value,
  reveal,
  hint,
  testId = id,
  labelHidden,
  control = "text",
  tone = "plain",
  aside,
  actions,
}: {
  id: string;
  label: string;
  labels: SecretFieldLabels;
  mask?: string;
  value?: string;
  reveal?: () => Promise<string | null>;
  hint?: ReactNode;
  testId?: string;
  labelHidden?: boolean;
  control?: "text" | "input";
  tone?: keyof typeof boxes;
  aside?: ReactNode;
  actions?: ReactNode;
}) {
  const [fetched, setFetched] = useState<string | null>(null);
  const [shown, setShown] = useState(false);
  const [pending, start] = useTransition();
  const full = value ?? fetched;
  const fetchValue = async () => {
    if (full !== null || !reveal) return full;
    const v = await reveal();
    setFetched(v);
    return v;
  };
  const toggle = () =>
    start(async () => {
      if (shown) return setShown(false);
      if ((await fetchValue()) !== null) setShown(true);
    });
  const text = value ?? (shown && fetched !== null ? fetched : (mask ?? ""));
  const buttons = (
    <>
      {reveal && value === undefined ? (
        <Button variant="secondary" size="sm" onClick={toggle} disabled={pending} aria-pressed={shown} aria-controls={id}>
          {shown ? labels.hide : labels.show}
          <span className="sr-only"> {label}</span>
        </Button>
      ) : null}
      {value !== undefined ? (
        <CopyButton value={value} label={labels.copy} copiedLabel={labels.copied} what={label} />
      ) : reveal ? (
        <CopyButton resolve={fetchValue} label={labels.copy} copiedLabel={labels.copied} what={label} />
      ) : null}
      {actions}
    </>
  );

  if (control === "input") {
    return (
      <Field id={id} label={label} hint={hint} aside={aside} labelHidden={labelHidden}>
        <div className="flex gap-2">
          <Input {...fieldIds(id, { hint: !!hint })} data-testid={testId} readOnly value={text} className="bg-slate-50 font-mono text-slate-600" />
          {buttons}
        </div>
      </Field>
    );
  }
  return (
    <div>
      <div className={cn("flex items-baseline justify-between gap-3", labelHidden && "sr-only")}>
        <p id={`${id}-label`} className={tone === "callout" ? "text-xs" : "text-sm font-medium text-slate-800"}>
          {label}
        </p>
        {aside}
      </div>
      <div className={cn("flex flex-wrap items-center gap-2", !labelHidden && "mt-1.5")}>
        <code
          id={id}
          aria-labelledby={`${id}-label`}
          aria-describedby={hint ? `${id}-hint` : undefined}
          data-testid={testId}
          className={cn("min-w-0 flex-1 break-all font-mono text-sm text-slate-900", boxes[tone])}
        >
          {text}
        </code>
        {buttons}
      </div>
      {hint ? (
        <p id={`${id}-hint`} className="mt-1.5 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
