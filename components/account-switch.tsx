"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { appIdOfPath, samePageOf } from "@/lib/accounts/account-path";
import { cn } from "./ui/cn";

export type SwitchAccount = { appId: string; displayName: string | null };

type Labels = { label: string; all: string; add: string | null };

/**
 * The accounts a user may see, as links to the same page of each (the account is in the URL, so
 * switching is navigating, and Back returns to the account one came from). Shown from two accounts on.
 */
export function AccountSwitch({ accounts, labels, addHref }: { accounts: SwitchAccount[]; labels: Labels; addHref: string }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const currentId = appIdOfPath(pathname);
  const current = accounts.find((a) => a.appId === currentId) ?? null;

  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => box.current && !box.current.contains(e.target as Node) && setOpen(false);
    const esc = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("mousedown", away);
    document.addEventListener("keydown", esc);
    return () => {
      document.removeEventListener("mousedown", away);
      document.removeEventListener("keydown", esc);
    };
  }, [open]);

  return (
    <div ref={box} className="relative text-xs">
      <button
        type="button"
        aria-expanded={open}
        aria-controls="account-switch-menu"
        aria-label={`${labels.label}: ${current ? (current.displayName ?? current.appId) : labels.all}`}
        onClick={() => setOpen((o) => !o)}
        className="flex h-8 max-w-[28rem] items-center gap-2 whitespace-nowrap rounded-lg border border-slate-200 bg-white px-2.5 text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-emerald-600"
      >
        <span className="hidden shrink-0 text-slate-500 sm:inline">{labels.label}</span>
        {current ? (
          <span className="flex min-w-0 items-center gap-1.5">
            {current.displayName ? <span className="max-w-[10rem] shrink-0 truncate font-medium">{current.displayName}</span> : null}
            <code className={cn("min-w-0 truncate font-mono text-slate-500", current.displayName && "hidden md:inline")}>{current.appId}</code>
          </span>
        ) : (
          <span className="font-medium">{labels.all}</span>
        )}
        <svg aria-hidden viewBox="0 0 20 20" fill="currentColor" className="size-4 shrink-0 text-slate-400">
          <path d="M5.2 7.5a.75.75 0 0 1 1.06 0L10 11.2l3.74-3.7a.75.75 0 1 1 1.06 1.06l-4.27 4.23a.75.75 0 0 1-1.06 0L5.2 8.56a.75.75 0 0 1 0-1.06Z" />
        </svg>
      </button>
      {open ? (
        <div
          id="account-switch-menu"
          className="absolute right-0 top-10 z-40 w-72 overflow-hidden rounded-xl border border-slate-200 bg-white py-1 text-sm shadow-lg"
        >
          <ul aria-label={labels.label}>
            {accounts.map((a) => (
              <li key={a.appId}>
                <Link
                  href={samePageOf(pathname, a.appId)}
                  aria-current={a.appId === currentId ? "page" : undefined}
                  className={cn(
                    "flex items-center justify-between gap-3 px-3 py-2 hover:bg-slate-50 focus-visible:bg-slate-50 focus-visible:outline-none",
                    a.appId === currentId && "bg-emerald-50/60",
                  )}
                >
                  <span className="min-w-0">
                    <span className={cn("block truncate font-medium text-slate-900", !a.displayName && "font-mono text-[13px]")}>
                      {a.displayName ?? a.appId}
                    </span>
                    {a.displayName ? <code className="block truncate font-mono text-xs text-slate-500">{a.appId}</code> : null}
                  </span>
                  {a.appId === currentId ? (
                    <svg aria-hidden viewBox="0 0 20 20" fill="currentColor" className="size-4 shrink-0 text-emerald-600">
                      <path d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.6l7.3-7.3a1 1 0 0 1 1.4 0Z" />
                    </svg>
                  ) : null}
                </Link>
              </li>
            ))}
          </ul>
          <div className="mt-1 border-t border-slate-100 pt-1">
            <Link href="/" className="block px-3 py-2 text-slate-600 hover:bg-slate-50 hover:text-slate-900">
              {labels.all}
            </Link>
            {labels.add ? (
              <Link href={addHref} className="block px-3 py-2 font-medium text-emerald-700 hover:bg-slate-50">
                + {labels.add}
              </Link>
            ) : null}
          </div>
        </div>
      ) : null}
    </div>
  );
}
