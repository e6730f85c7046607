import type { Queryable } from "../db";
import { selectNewestMessage } from "../messages/message-queries";
import { countRefused24h, selectLastRefusedHandshake, selectLastVerified, type CallbackEventRecord } from "./callback-queries";

// What the console says about the callback: did WeChat verify the URL, and when; what was
// refused lately; when the last message came. Read from the counters in callback_event and from
// message.

export type CallbackEventView = { id: string; at: Date; method: string; outcome: string; reason: string | null; status: number };

export type CallbackStatus = {
  lastVerifiedAt: Date | null;
  /** The latest verified handshake. Only a verified one counts: anyone can send a refused GET. */
  lastHandshake: CallbackEventView | null;
  /**
   * The latest refused handshake (GET) for this account, or one that could not name an account.
   * A hint while the URL was never verified (a Token that differs); it never replaces lastHandshake.
   */
  lastRefusedHandshake: CallbackEventView | null;
  lastMessageAt: Date | null;
  refused24h: number;
  /** Changes whenever anything above may have: the live view polls it. */
  version: string;
};

const view = (r: CallbackEventRecord | null): CallbackEventView | null =>
  r ? { id: r.id, at: r.last_at, method: r.method, outcome: r.outcome, reason: r.reason || null, status: r.status } : null;

export async function getCallbackStatus(db: Queryable, accountId: string): Promise<CallbackStatus> {
  const [verified, refusedGet, message, n] = await Promise.all([
    selectLastVerified(db, accountId),
    selectLastRefusedHandshake(db, accountId),
    selectNewestMessage(db, accountId),
    countRefused24h(db, accountId),
  ]);
  const h = view(verified);
  const r = view(refusedGet);
  return {
    lastVerifiedAt: h?.at ?? null,
    lastHandshake: h,
    lastRefusedHandshake: r,
    lastMessageAt: message?.receivedAt ?? null,
    refused24h: n,
    version: [h?.at.getTime() ?? "", r?.at.getTime() ?? "", message?.id ?? "", n].join(":"),
  };
}
