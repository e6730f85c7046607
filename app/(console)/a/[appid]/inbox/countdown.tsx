"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

/** h:mm:ss until `until`, ticking each second; the page re-renders once it reaches zero, so what the window allows is read again on the server. */
export function Countdown({ until, className, testId }: { until: string; className?: string; testId?: string }) {
  const router = useRouter();
  const end = Date.parse(until);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= end) {
        clearInterval(timer);
        router.refresh();
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [end, router]);
  const s = Math.max(0, Math.floor((end - now) / 1000));
  const text = `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
  return (
    <time dateTime={until} className={className} data-testid={testId} suppressHydrationWarning>
      {text}
    </time>
  );
}
