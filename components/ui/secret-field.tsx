"use client";

import { useState, useTransition } from "react";
import { Button } from "./button";
import { CopyButton } from "./copy-button";

export type SecretFieldLabels = { show: string; hide: string; copy: string; copied: string };

/**
 * A saved secret shown masked (••••1234). Given `reveal` (only admins' pages pass one), Show
 * fetches the full value from the server and Copy copies it; without it the mask is all there
 * is, because the full value was never sent.
 */
export function SecretField({ id, label, mask, reveal, labels, hint }: { id: string; label: string; mask: string; reveal?: () => Promise<string | null>; labels: SecretFieldLabels; hint?: string }) {
  const [value, setValue] = useState<string | null>(null);
  const [shown, setShown] = useState(false);
  const [pending, start] = useTransition();
  const fetchValue = async () => {
    if (value !== null || !reveal) return value;
    const v = await reveal();
    setValue(v);
    return v;
  };
  const toggle = () =>
    start(async () => {
      if (shown) return setShown(false);
      if ((await fetchValue()) !== null) setShown(true);
    });
  return (
    <div>
      <p id={`${id}-label`} className="text-sm font-medium text-slate-800">
        {label}
      </p>
      <div className="mt-1.5 flex flex-wrap items-center gap-2">
        <code id={id} aria-labelledby={`${id}-label`} data-testid={id} className="min-w-0 flex-1 break-all rounded-lg border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-sm text-slate-900">
          {shown && value !== null ? value : mask}
        </code>
        {reveal ? (
          <>
            <Button variant="secondary" size="sm" onClick={toggle} disabled={pending} aria-pressed={shown} aria-controls={id}>
              {shown ? labels.hide : labels.show}
              <span className="sr-only"> {label}</span>
            </Button>
            <CopyButton resolve={fetchValue} label={labels.copy} copiedLabel={labels.copied} what={label} />
          </>
        ) : null}
      </div>
      {hint ? <p className="mt-1.5 text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}
