"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

/**
 * Polls a small JSON route for a version string and re-renders the page (router.refresh) when
 * it changes: new messages and WeChat's verification appear without a reload. Pauses while the
 * tab is hidden.
 */
export function LiveRefresh({ src, version, intervalMs = 3000, label }: { src: string; version: string | null; intervalMs?: number; label?: string }) {
  const router = useRouter();
  const known = useRef(version);
  known.current = version;
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      if (!document.hidden) {
        try {
          const res = await fetch(src, { cache: "no-store", headers: { accept: "application/json" } });
          if (res.status === 401) {
            // The session ended (signed out elsewhere, password changed): re-rendering the page
            // takes the reader to the sign-in page, as any navigation would.
            stopped = true;
            router.refresh();
            return;
          }
          if (res.ok) {
            const body = (await res.json()) as { version: string | null };
            if (body.version !== known.current) {
              known.current = body.version;
              router.refresh();
            }
          }
        } catch {
          // Offline or restarting: try again at the next tick.
        }
      }
      if (!stopped) timer = setTimeout(tick, intervalMs);
    };
    timer = setTimeout(tick, intervalMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [src, intervalMs, router]);
  return label ? (
    <span className="inline-flex items-center gap-1.5 text-xs font-medium text-emerald-700">
      <span aria-hidden className="relative flex size-2">
        <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-400 opacity-60" />
        <span className="relative inline-flex size-2 rounded-full bg-emerald-500" />
      </span>
      {label}
    </span>
  ) : null;
}
