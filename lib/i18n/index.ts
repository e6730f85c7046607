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

export function formatDateTime(d: Date, locale: Locale, tz: string, opts: { seconds?: boolean } = {}): string {
  return new Intl.DateTimeFormat(intlLocale(locale), {
    timeZone: tz,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: opts.seconds ? "2-digit" : undefined,
    hour12: false,
  }).format(d);
}

export function formatTime(d: Date, locale: Locale, tz: string): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { timeZone: tz, hour: "2-digit", minute: "2-digit", hour12: false }).format(d);
}

/** "14:02" today, "11-23 14:02" this year, else the full date. */
export function formatWhen(d: Date, locale: Locale, tz: string, now = new Date()): string {
  const day = (x: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(x);
  if (day(d) === day(now)) return formatTime(d, locale, tz);
  if (day(d).slice(0, 4) === day(now).slice(0, 4)) {
    return new Intl.DateTimeFormat(intlLocale(locale), { timeZone: tz, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false }).format(d);
  }
  return formatDateTime(d, locale, tz);
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
