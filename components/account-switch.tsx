"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { Field } from "./ui/field";

const COOKIE = "mpdesk_account";

/** Shown only when the database holds several accounts (one mpdesk can serve more than one). */
export function AccountSwitch({ current, appIds, label }: { current: string; appIds: string[]; label: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <div className="flex items-center gap-2 text-xs text-slate-500">
      <span aria-hidden className="hidden sm:inline">
        {label}
      </span>
      <Field id="account-switch" label={label} labelHidden>
        <select
          id="account-switch"
          value={current}
          disabled={pending}
          onChange={(e) => {
            document.cookie = `${COOKIE}=${e.target.value}; path=/; max-age=31536000; samesite=lax`;
            start(() => router.refresh());
          }}
          className="h-8 rounded-lg border border-slate-200 bg-white px-2 font-mono text-xs text-slate-800 focus:outline-2 focus:outline-emerald-600"
        >
          {appIds.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}
