import type { Locale } from "@/lib/i18n";
import { formatDay } from "@/lib/i18n";
import type { DailyCounts } from "@/lib/messages/message-stats";
import { ownValue } from "@/lib/own-value";

// A stacked bar chart of messages per day by type, drawn as plain SVG: no chart library for
// thirty bars. The summary sentence and a table stand in for it for screen readers.

export const TYPE_COLORS: Record<string, string> = {
  text: "#0ea5e9",
  event: "#94a3b8",
  image: "#8b5cf6",
  voice: "#f59e0b",
  video: "#ec4899",
  shortvideo: "#f472b6",
  location: "#10b981",
  link: "#6366f1",
};
export const OTHER_COLOR = "#cbd5e1";
const MAX_SERIES = 6;

/** A type's colour; a MsgType is a follower's string, so only our own keys count. */
export const typeColor = (type: string) => ownValue(TYPE_COLORS, type) ?? OTHER_COLOR;

export function chartSeries(data: DailyCounts, otherLabel: string): Array<{ key: string; label: string; color: string; values: number[] }> {
  const shown = data.series.slice(0, MAX_SERIES);
  const rest = data.series.slice(MAX_SERIES);
  // Keys are prefixed: a type could itself be called "other".
  const series = shown.map((s) => ({ key: `type:${s.type}`, label: s.type, color: typeColor(s.type), values: s.values }));
  if (rest.length) {
    series.push({ key: "other", label: otherLabel, color: OTHER_COLOR, values: data.days.map((_, i) => rest.reduce((sum, s) => sum + s.values[i]!, 0)) });
  }
  return series;
}

// A round top for the axis whose half is a whole number too (gridlines at 0, ½ and 1).
function niceMax(v: number): number {
  if (v <= 2) return 2;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 4, 6, 8, 10].map((m) => m * p).find((m) => m >= v && Number.isInteger(m / 2)) ?? v;
}

export function MessagesChart({
  data,
  summary,
  labels,
  otherLabel,
  locale,
}: {
  data: DailyCounts;
  summary: string;
  labels: Record<string, string>;
  otherLabel: string;
  locale: Locale;
}) {
  const series = chartSeries(data, otherLabel);
  const n = data.days.length;
  const totals = data.days.map((_, i) => series.reduce((s, se) => s + se.values[i]!, 0));
  const max = niceMax(Math.max(1, ...totals));
  const W = 720,
    H = 220,
    L = 40,
    R = 8,
    T = 10,
    B = 26;
  const bw = (W - L - R) / n;
  const y = (v: number) => T + (H - T - B) * (1 - v / max);
  const label = (k: string) => ownValue(labels, k) ?? k;
  return (
    <figure>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} className="h-auto w-full">
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={L} x2={W - R} y1={y(max * f)} y2={y(max * f)} stroke="#e2e8f0" strokeDasharray={f ? "3 3" : undefined} />
            <text x={L - 6} y={y(max * f) + 4} textAnchor="end" fontSize="11" fill="#64748b">
              {Math.round(max * f)}
            </text>
          </g>
        ))}
        {data.days.map((day, i) => {
          let acc = 0;
          const x = L + i * bw + bw * 0.15;
          return (
            <g key={day}>
              <title>{`${day}: ${totals[i]}${series
                .filter((s) => s.values[i])
                .map((s) => `\n${label(s.label)} ${s.values[i]}`)
                .join("")}`}</title>
              <rect x={L + i * bw} y={T} width={bw} height={H - T - B} fill="transparent" />
              {series.map((s) => {
                const v = s.values[i]!;
                if (!v) return null;
                const y0 = y(acc);
                acc += v;
                const y1 = y(acc);
                return <rect key={s.key} x={x} y={y1} width={bw * 0.7} height={Math.max(0.5, y0 - y1)} fill={s.color} rx={1.5} />;
              })}
              {i % 5 === (n - 1) % 5 ? (
                <text x={L + i * bw + bw / 2} y={H - 8} textAnchor="middle" fontSize="11" fill="#64748b">
                  {formatDay(day, locale)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-3 flex flex-wrap gap-x-4 gap-y-1.5 text-xs text-slate-600">
        {series.map((s) => (
          <span key={s.key} className="inline-flex items-center gap-1.5">
            <span aria-hidden className="size-2.5 rounded-sm" style={{ background: s.color }} />
            {label(s.label)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
