import { cookies, headers } from "next/headers";
import { DEFAULT_TZ, getDictionary, isLocale, isTimeZone, LOCALE_COOKIE, negotiateLocale, TZ_COOKIE, type Dictionary, type Locale } from "./index";

// The reader's language and time zone, on the server: a cookie set by the language switch (or
// by the browser's own time zone), else Accept-Language, else Chinese and China time.

export async function getLocale(): Promise<Locale> {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(chosen)) return chosen;
  return negotiateLocale((await headers()).get("accept-language"));
}

export async function getTimeZone(): Promise<string> {
  const raw = (await cookies()).get(TZ_COOKIE)?.value;
  const tz = raw ? safeDecode(raw) : undefined;
  return isTimeZone(tz) ? tz : DEFAULT_TZ;
}

export async function getI18n(): Promise<{ locale: Locale; t: Dictionary; tz: string }> {
  const locale = await getLocale();
  return { locale, t: getDictionary(locale), tz: await getTimeZone() };
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
