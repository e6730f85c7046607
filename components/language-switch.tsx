"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { LOCALE_COOKIE, type Locale } from "@/lib/i18n";
import { cn } from "./ui/cn";

const LABELS: Record<Locale, string> = { zh: "中文", en: "English" };

/** Remembers the choice in a cookie for a year; the server renders in that language from then on. */
export function LanguageSwitch({ current, label, className }: { current: Locale; label: string; className?: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  function choose(locale: Locale) {
    document.cookie = `${LOCALE_COOKIE}=${locale}; path=/; max-age=31536000; samesite=lax`;
    start(() => router.refresh());
  }
  return (
    <div
      role="group"
      aria-label={label}
      className={cn("inline-flex rounded-lg border border-slate-200 bg-white p-0.5 text-xs", pending && "opacity-60", className)}
    >
      {(Object.keys(LABELS) as Locale[]).map((l) => (
        <button
          key={l}
          type="button"
          lang={l === "zh" ? "zh-CN" : "en"}
          aria-pressed={current === l}
          onClick={() => choose(l)}
          className={cn(
            "rounded-md px-2.5 py-1 font-medium transition-colors focus-visible:outline-2 focus-visible:outline-emerald-600",
            current === l ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100",
          )}
        >
          {LABELS[l]}
        </button>
      ))}
    </div>
  );
}
