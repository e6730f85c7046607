"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "./ui/cn";

/** A step without `href` cannot be opened yet (the steps after the account exists, while adding one). */
export type Step = { href?: string; label: string; done: boolean };

export function Stepper({ steps, label }: { steps: Step[]; label: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="mb-8">
      <ol
        className={cn(
          "grid grid-cols-2 gap-2",
          steps.length > 5 ? "sm:grid-cols-3 lg:grid-cols-6" : steps.length > 4 ? "sm:grid-cols-3 lg:grid-cols-5" : "sm:grid-cols-4",
        )}
      >
        {steps.map((s, i) => {
          const current = pathname === s.href;
          const className = cn(
            "group flex items-center gap-3 rounded-lg border px-3 py-2.5 text-sm transition-colors focus-visible:outline-2 focus-visible:outline-emerald-600",
            current
              ? "border-emerald-600 bg-white shadow-sm"
              : s.href
                ? "border-slate-200 bg-white/60 hover:border-slate-300 hover:bg-white"
                : "border-dashed border-slate-200 bg-transparent",
          );
          const inner = (
            <>
              <span
                aria-hidden
                className={cn(
                  "flex size-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold",
                  s.done ? "bg-emerald-600 text-white" : current ? "bg-emerald-100 text-emerald-800" : "bg-slate-100 text-slate-500",
                )}
              >
                {s.done ? "✓" : i + 1}
              </span>
              <span
                className={cn(
                  "min-w-0 font-medium leading-snug",
                  steps.length > 4 ? "break-words" : "truncate",
                  current ? "text-slate-900" : s.href ? "text-slate-600" : "text-slate-400",
                )}
              >
                {s.label}
              </span>
            </>
          );
          return (
            <li key={s.label}>
              {s.href ? (
                <Link href={s.href} aria-current={current ? "step" : undefined} className={className}>
                  {inner}
                </Link>
              ) : (
                <span aria-disabled className={className}>
                  {inner}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
