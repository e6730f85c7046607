import { en } from "./en";
import { zh, type Dictionary } from "./zh";

// Our own small dictionary: two languages, typed so English cannot miss a key. Safe to import
// from client components (no Next.js or Node APIs here).

export type { Dictionary };
export const LOCALES = ["zh", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh";
export const LOCALE_COOKIE = "mpdesk_locale";
export const TZ_COOKIE = "mpdesk_tz";
export const DEFAULT_TZ = "Asia/Shanghai";

const dictionaries: Record<Locale, Dictionary> = { zh, en };

export function getDictionary(locale: Locale): Dictionary {
  return dictionaries[locale];
}

export function isLocale(v: unknown): v is Locale {
  return typeof v === "string" && (LOCALES as readonly string[]).includes(v);
}

/** The first supported language in Accept-Language (by q-value), else Chinese. */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranked = acceptLanguage
    .split(",")
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1, i };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag.startsWith("zh")) return "zh";
    if (tag.startsWith("en")) return "en";
  }
  return DEFAULT_LOCALE;
}

/** Fills {name} placeholders. */
export function fmt(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export function isTimeZone(tz: unknown): tz is string {
  if (typeof tz !== "string" || !tz || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const intlLocale = (locale: Locale) => (locale === "zh" ? "zh-CN" : "en-GB");

// Every date the console shows comes from these parts, assembled the same way whatever the
// runtime's locale data: English spells the month ("1 Dec 2026, 14:03"), because 01/12/2026
// reads as 1 December to some and 12 January to others; Chinese writes the year first
// ("2026-12-01 14:03"), as the MP admin does.
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
type DateParts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const partFormats = new Map<string, Intl.DateTimeFormat>();
function partsOf(d: Date, tz: string): DateParts {
  let f = partFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    if (partFormats.size > 64) partFormats.clear();
    partFormats.set(tz, f);
  }
  const out: DateParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of f.formatToParts(d)) if (p.type in out) out[p.type as keyof DateParts] = Number(p.value);
  return out;
}

const pad = (n: number) => String(n).padStart(2, "0");
const clock = (p: DateParts, seconds?: boolean) => `${pad(p.hour)}:${pad(p.minute)}${seconds ? `:${pad(p.second)}` : ""}`;
const dayMonth = (p: Pick<DateParts, "month" | "day">, locale: Locale) =>
  locale === "zh" ? `${pad(p.month)}-${pad(p.day)}` : `${p.day} ${MONTHS[p.month - 1]}`;
const fullDay = (p: DateParts, locale: Locale) => (locale === "zh" ? `${p.year}-${dayMonth(p, locale)}` : `${dayMonth(p, locale)} ${p.year}`);
const joinDayTime = (day: string, time: string, locale: Locale) => (locale === "zh" ? `${day} ${time}` : `${day}, ${time}`);

export function formatDateTime(d: Date, locale: Locale, tz: string, opts: { seconds?: boolean } = {}): string {
  const p = partsOf(d, tz);
  return joinDayTime(fullDay(p, locale), clock(p, opts.seconds), locale);
}

export function formatTime(d: Date, _locale: Locale, tz: string): string {
  return clock(partsOf(d, tz));
}

/** "14:02" today, "1 Dec, 14:02" / "12-01 14:02" this year, else the full date. */
export function formatWhen(d: Date, locale: Locale, tz: string, now = new Date()): string {
  const p = partsOf(d, tz);
  const n = partsOf(now, tz);
  if (p.year !== n.year) return formatDateTime(d, locale, tz);
  if (p.month === n.month && p.day === n.day) return clock(p);
  return joinDayTime(dayMonth(p, locale), clock(p), locale);
}

/** A calendar day given as YYYY-MM-DD (the chart's axis): "1 Dec" / "12-01". */
export function formatDay(isoDay: string, locale: Locale): string {
  const [, month = 1, day = 1] = isoDay.split("-").map(Number);
  return dayMonth({ month, day }, locale);
}

export function formatDuration(ms: number, t: Dictionary): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return fmt(t.common.seconds, { n: s });
  const m = Math.round(s / 60);
  if (m < 60) return fmt(t.common.minutes, { n: m });
  const h = Math.floor(m / 60);
  if (h < 72) return fmt(t.common.hours, { n: h });
  return fmt(t.common.days, { n: Math.floor(h / 24) });
}

export function formatRelative(d: Date, t: Dictionary, now = new Date()): string {
  const diff = now.getTime() - d.getTime();
  if (Math.abs(diff) < 45_000) return t.time.justNow;
  return fmt(diff > 0 ? t.common.ago : t.common.inFuture, { value: formatDuration(Math.abs(diff), t) });
}

export function formatNumber(n: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale)).format(n);
}
