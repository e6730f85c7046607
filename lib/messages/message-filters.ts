import { z } from "zod";

// The message log's filters, exactly as they appear in the URL (?type=text&q=退款&before=…), so
// every view is linkable. Invalid values are dropped rather than refused: a hand-edited link
// still opens, just less filtered.

export const MESSAGE_TYPES = ["text", "image", "voice", "video", "shortvideo", "location", "link", "event"] as const;
export const EVENT_TYPES = [
  "subscribe",
  "unsubscribe",
  "SCAN",
  "LOCATION",
  "CLICK",
  "VIEW",
  "TEMPLATESENDJOBFINISH",
  "MASSSENDJOBFINISH",
  "scancode_push",
  "scancode_waitmsg",
  "pic_sysphoto",
  "pic_photo_or_album",
  "pic_weixin",
  "location_select",
  "view_miniprogram",
  "subscribe_msg_popup_event",
] as const;

const word = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/);
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => !Number.isNaN(Date.parse(v)));
// "2026-11-24T05:06:07.123456Z~123": received_at with microseconds, then the id. Both matter:
// many rows can share a millisecond, and a keyset must never skip or repeat one.
const cursor = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z~\d{1,19}$/);

export const ZMessageFilters = z.object({
  type: word.optional().catch(undefined),
  event: word.optional().catch(undefined),
  direction: z.enum(["inbound", "outbound"]).optional().catch(undefined),
  openid: z.string().trim().min(1).max(128).optional().catch(undefined),
  from: isoDate.optional().catch(undefined),
  to: isoDate.optional().catch(undefined),
  q: z.string().trim().min(1).max(200).optional().catch(undefined),
});
export type TMessageFilters = z.infer<typeof ZMessageFilters>;

export const ZPageCursor = z.object({
  before: cursor.optional().catch(undefined),
  after: cursor.optional().catch(undefined),
});
export type TPageCursor = z.infer<typeof ZPageCursor>;

export const FILTER_KEYS = ["type", "event", "direction", "openid", "from", "to", "q"] as const;

type ParamSource = URLSearchParams | Record<string, string | string[] | undefined>;

function pick(source: ParamSource, key: string): string | undefined {
  if (source instanceof URLSearchParams) return source.get(key) ?? undefined;
  const v = source[key];
  return Array.isArray(v) ? v[0] : v;
}

export function parseMessageFilters(source: ParamSource): TMessageFilters {
  const raw = Object.fromEntries(FILTER_KEYS.map((k) => [k, pick(source, k) || undefined]));
  return ZMessageFilters.parse(raw);
}

export function parsePageCursor(source: ParamSource): TPageCursor {
  return ZPageCursor.parse({ before: pick(source, "before") || undefined, after: pick(source, "after") || undefined });
}

/** The query string for these filters (and an optional cursor), for links and exports. */
export function filtersToSearch(filters: TMessageFilters, extra: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) if (filters[k]) q.set(k, filters[k]!);
  for (const [k, v] of Object.entries(extra)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}

export function hasFilters(filters: TMessageFilters): boolean {
  return FILTER_KEYS.some((k) => filters[k] !== undefined);
}

export function splitCursor(c: string): { at: string; id: string } {
  const i = c.lastIndexOf("~");
  return { at: c.slice(0, i), id: c.slice(i + 1) };
}
