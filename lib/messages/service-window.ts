import type { Queryable } from "../db";
import { selectLastInteraction } from "./message-queries";

// WeChat lets an account send customer-service messages (客服消息) only within 48 hours of the
// follower's last interaction: a message, following, scanning a code, or one of the menu taps
// that notify the server. Outside it the API answers 45015.

export const SERVICE_WINDOW_MS = 48 * 3600_000;
// Lower-cased: WeChat spells some events in capitals (SCAN, CLICK) and others not.
export const WINDOW_OPENING_EVENTS = ["subscribe", "scan", "click", "scancode_push", "scancode_waitmsg"] as const;

export type ServiceWindow = { lastInteraction: Date | null; until: Date | null; open: boolean; remainingMs: number };

export function serviceWindowFrom(lastInteraction: Date | null, now = new Date()): ServiceWindow {
  if (!lastInteraction) return { lastInteraction: null, until: null, open: false, remainingMs: 0 };
  const until = new Date(lastInteraction.getTime() + SERVICE_WINDOW_MS);
  const remainingMs = until.getTime() - now.getTime();
  return { lastInteraction, until, open: remainingMs > 0, remainingMs: Math.max(0, remainingMs) };
}

export async function getServiceWindow(db: Queryable, accountId: string, openId: string, now = new Date()): Promise<ServiceWindow> {
  return serviceWindowFrom(await selectLastInteraction(db, accountId, openId, WINDOW_OPENING_EVENTS), now);
}
