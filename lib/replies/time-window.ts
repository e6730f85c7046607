// Rules may answer only between two times of day in the account's own time zone; a window whose
// start is after its end crosses midnight (18:00–09:00 is the evening and the night).

export type TimeWindow = { startMin: number; endMin: number };

/** account.time_zone's default, the platform's own. */
export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Minutes after local midnight (0–1439) at `at` in `timeZone`. */
export function minuteOfDay(at: Date, timeZone: string): number {
  let hour = 0,
    minute = 0;
  for (const p of formatterFor(timeZone).formatToParts(at)) {
    if (p.type === "hour") hour = Number(p.value);
    else if (p.type === "minute") minute = Number(p.value);
  }
  return (hour % 24) * 60 + minute;
}

/** Start inclusive, end exclusive. */
export function isInWindow(window: TimeWindow, minute: number): boolean {
  const { startMin, endMin } = window;
  return startMin <= endMin ? minute >= startMin && minute < endMin : minute >= startMin || minute < endMin;
}

/** "18:00" → 1080; null when not a time of day. */
export function parseClock(text: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function formatClock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}
