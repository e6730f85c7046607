"use client";

import { useState } from "react";
import { buttonClass, type ButtonVariant } from "./button";

export async function copyToClipboard(value: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(value);
  } catch {
    // Plain-HTTP pages have no clipboard API: fall back to a hidden textarea.
    const ta = document.createElement("textarea");
    ta.value = value;
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    document.body.append(ta);
    ta.select();
    document.execCommand("copy");
    ta.remove();
  }
}

/** Copies `value`, or whatever `resolve` fetches when the value is not on the page yet. */
export function CopyButton({
  value,
  resolve,
  label,
  copiedLabel,
  variant = "secondary",
  className,
  disabled,
  what,
}: {
  value?: string;
  resolve?: () => Promise<string | null>;
  label: string;
  copiedLabel: string;
  variant?: ButtonVariant;
  className?: string;
  disabled?: boolean;
  /** What is copied, for screen readers when several Copy buttons share a page. */
  what?: string;
}) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    const text = value ?? (await resolve?.());
    if (text == null) return;
    await copyToClipboard(text);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  }
  return (
    <button type="button" onClick={copy} disabled={disabled} className={buttonClass(variant, "sm", className)} aria-live="polite">
      <svg aria-hidden viewBox="0 0 20 20" fill="currentColor" className="size-4">
        {copied ? (
          <path
            fillRule="evenodd"
            d="M16.704 4.153a.75.75 0 0 1 .143 1.052l-8 10.5a.75.75 0 0 1-1.127.075l-4.5-4.5a.75.75 0 0 1 1.06-1.06l3.894 3.893 7.48-9.817a.75.75 0 0 1 1.05-.143Z"
            clipRule="evenodd"
          />
        ) : (
          <path d="M7 3.5A1.5 1.5 0 0 1 8.5 2h3.879a1.5 1.5 0 0 1 1.06.44l3.122 3.12A1.5 1.5 0 0 1 17 6.622V12.5a1.5 1.5 0 0 1-1.5 1.5h-1v-3.379a3 3 0 0 0-.879-2.121L10.5 5.379A3 3 0 0 0 8.379 4.5H7v-1ZM4.5 6A1.5 1.5 0 0 0 3 7.5v9A1.5 1.5 0 0 0 4.5 18h7a1.5 1.5 0 0 0 1.5-1.5v-5.879a1.5 1.5 0 0 0-.44-1.06L9.44 6.439A1.5 1.5 0 0 0 8.378 6H4.5Z" />
        )}
      </svg>
      {copied ? copiedLabel : label}
      {what ? <span className="sr-only"> {what}</span> : null}
    </button>
  );
}
