import { cn } from "@/components/ui/cn";
import { fmt, type Dictionary } from "@/lib/i18n";
import type { WindowMeter as Meter } from "@/lib/outbound/types";
import { Countdown } from "../../../inbox/countdown";

/** Beside the composer: whether WeChat lets the account write to this follower now, how many more, and for how long. */
export function WindowMeter({ meter, t, when }: { meter: Meter; t: Dictionary["inbox"]["meter"]; when: (d: Date) => string }) {
  const share = meter.limit ? Math.min(100, Math.round((meter.used / meter.limit) * 100)) : 0;
  return (
    <section aria-labelledby="window-meter-title" data-testid="window-meter" className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex items-center justify-between gap-2">
        <h2 id="window-meter-title" className="text-sm font-semibold text-slate-800">
          {t.title}
        </h2>
        <span
          data-testid="window-state"
          className={cn(
            "rounded-full px-2 py-0.5 text-xs font-medium ring-1",
            meter.open ? "bg-emerald-50 text-emerald-800 ring-emerald-200" : "bg-slate-100 text-slate-600 ring-slate-200",
          )}
        >
          {meter.open ? t.open : t.closed}
        </span>
      </div>
      {meter.openedBy ? <p className="text-sm text-slate-600">{t.openedBy[meter.openedBy]}</p> : <p className="text-sm text-slate-600">{t.never}</p>}
      {meter.open && meter.until ? (
        <>
          <div>
            <div className="flex items-baseline justify-between text-sm">
              <span className="text-slate-600">{fmt(t.used, { used: meter.used, limit: meter.limit })}</span>
              <span className="font-medium text-slate-900" data-testid="window-remaining">
                {fmt(t.remaining, { n: meter.remaining })}
              </span>
            </div>
            <div
              className="mt-1.5 h-2 overflow-hidden rounded-full bg-slate-100"
              role="meter"
              aria-label={t.title}
              aria-valuemin={0}
              aria-valuemax={meter.limit}
              aria-valuenow={meter.used}
            >
              <div className={cn("h-full rounded-full", meter.remaining ? "bg-emerald-500" : "bg-red-500")} style={{ width: `${share}%` }} />
            </div>
          </div>
          <p className="flex items-baseline justify-between gap-2 text-sm">
            <span className="text-slate-600">{fmt(t.until, { until: when(meter.until) })}</span>
            <Countdown until={meter.until.toISOString()} testId="window-countdown" className="font-mono text-base font-semibold tabular-nums text-slate-900" />
          </p>
        </>
      ) : meter.lastInteraction && !meter.closedBy ? (
        <p className="text-sm text-slate-600">{fmt(t.closedAt, { last: when(meter.lastInteraction) })}</p>
      ) : null}
      {meter.closedBy ? (
        <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="window-closed-by">
          {t.closedBy[meter.closedBy]}
        </p>
      ) : null}
      {!meter.open ? <p className="text-xs text-slate-500">{t.reopen}</p> : null}
    </section>
  );
}
