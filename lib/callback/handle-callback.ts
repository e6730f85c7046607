import type { AccountDirectory, CallbackAccount } from "../accounts/callback-accounts";
import { httpStatusOf, isAppError } from "../app-error";
import { errorFields, log } from "../log";
import { normalizeInbound, type InboundRow } from "../messages/inbound-row";
import type { MessageStore } from "../messages/message-store";
import { planAnswer, type Answer } from "../outbound/answer-plan";
import { decryptMessage } from "../wechat/crypto";
import { buildEncryptedReply, buildReplyXml, type PassiveReply } from "../wechat/reply";
import { verifyMsgSignature, verifySignature } from "../wechat/signature";
import { parseWeChatXml, type WeChatXml } from "../wechat/xml";
import type { CallbackLog } from "./callback-log";

// The callback at /api/wechat and /api/wechat/<AppID> as plain functions of (query, body): no
// framework in here, so it is unit-testable and the route handlers stay thin adapters.

export const MAX_BODY_BYTES = 1024 * 1024;

export type BodyResult = { ok: true; text: string } | { ok: false; reason: "too_large" | "unreadable" };

export type CallbackInput = {
  query: URLSearchParams;
  /** The AppID in the URL's path (/api/wechat/<AppID>); else `?account=`, else the default account. */
  pathAppId?: string | null;
  sourceIp: string | null;
  receivedAt: Date;
  /** Read only after the URL signature checks out, and bounded by MAX_BODY_BYTES. */
  readBody?: () => Promise<BodyResult>;
};

export type CallbackResult = {
  status: number;
  body: string;
  contentType: "text/plain; charset=utf-8" | "application/xml; charset=utf-8";
  outcome: "verified" | "stored" | "duplicate" | "spooled" | "quarantined" | "refused" | "error";
  reason?: string;
  account?: string;
  msgType?: string;
};

export type CallbackDeps = {
  accounts: AccountDirectory;
  store: MessageStore;
  callbackLog: CallbackLog;
  /**
   * Passive reply for a new message; none means "success". Auto-reply rules plug in here, with
   * the rule that answered and reply-all's other replies (sent later through the customer-service API).
   */
  decideReply?: (row: InboundRow) => Answer | PassiveReply | null | Promise<Answer | PassiveReply | null>;
  /** How far (seconds) a request's `timestamp` may be from our clock; 300 when not given. */
  timestampWindowS?: number;
};

export const DEFAULT_TIMESTAMP_WINDOW_S = 300;

const TEXT = "text/plain; charset=utf-8" as const;
const XML = "application/xml; charset=utf-8" as const;

function refuse(status: number, reason: string, extra: Partial<CallbackResult> = {}): CallbackResult {
  const messages: Record<number, string> = {
    400: "bad request",
    401: "invalid signature",
    403: "forbidden",
    404: "unknown account",
    413: "payload too large",
    503: "unavailable",
  };
  return { status, body: `${messages[status] ?? "error"}: ${reason}`, contentType: TEXT, outcome: status >= 500 ? "error" : "refused", reason, ...extra };
}

// A signature/timestamp/nonce triple seen once (an access log, plain HTTP) would otherwise be
// valid forever, and in plaintext mode the URL signature does not cover the body. Checked after
// the signature, so the reason says "your clock, or a replay" only for requests signed with the Token.
function checkTimestamp(timestamp: string, input: CallbackInput, deps: CallbackDeps, account: string): CallbackResult | null {
  if (!/^\d{1,12}$/.test(timestamp)) return refuse(400, "bad_timestamp", { account });
  const skew = Math.abs(Number(timestamp) - input.receivedAt.getTime() / 1000);
  return skew > (deps.timestampWindowS ?? DEFAULT_TIMESTAMP_WINDOW_S) ? refuse(401, "timestamp_out_of_window", { account }) : null;
}

async function resolveAccount(input: CallbackInput, deps: CallbackDeps): Promise<CallbackAccount | CallbackResult> {
  const wanted = input.pathAppId ?? input.query.get("account");
  const account = await deps.accounts.resolve(wanted).catch((err) => {
    log.error("callback.accounts_unavailable", errorFields(err));
    return undefined;
  });
  if (account === undefined) return refuse(503, "accounts_unavailable");
  if (!account) return wanted ? refuse(404, "unknown_account") : refuse(503, "no_account_configured");
  return account;
}

/** GET: WeChat's URL verification. The echostr is plaintext in all three modes for Official Accounts. */
export async function handleVerification(input: CallbackInput, deps: CallbackDeps): Promise<CallbackResult> {
  const q = input.query;
  const signature = q.get("signature"),
    timestamp = q.get("timestamp"),
    nonce = q.get("nonce"),
    echostr = q.get("echostr");
  const result = await (async () => {
    if (!signature || !timestamp || !nonce || echostr === null) return refuse(400, "missing_params");
    const account = await resolveAccount(input, deps);
    if ("status" in account) return account;
    if (!verifySignature({ token: account.token, timestamp, nonce, signature })) {
      return refuse(401, "bad_signature", { account: account.id });
    }
    const stale = checkTimestamp(timestamp, input, deps, account.id);
    if (stale) return stale;
    return { status: 200, body: echostr, contentType: TEXT, outcome: "verified", account: account.id } satisfies CallbackResult;
  })();
  recordEvent(deps, "GET", input, result);
  return result;
}

/** POST: a message or event, in plaintext, compatible or safe mode. */
export async function handleMessage(input: CallbackInput, deps: CallbackDeps): Promise<CallbackResult> {
  const result = await processMessage(input, deps).catch((err): CallbackResult => {
    if (isAppError(err, "STORE_UNAVAILABLE")) return refuse(httpStatusOf(err.code), "store_unavailable");
    log.error("callback.failed", errorFields(err));
    return { status: 500, body: "internal error", contentType: TEXT, outcome: "error", reason: "internal" };
  });
  if (result.outcome === "refused" || result.outcome === "error") recordEvent(deps, "POST", input, result);
  return result;
}

async function processMessage(input: CallbackInput, deps: CallbackDeps): Promise<CallbackResult> {
  const q = input.query;
  const signature = q.get("signature"),
    timestamp = q.get("timestamp"),
    nonce = q.get("nonce"),
    msgSignature = q.get("msg_signature");
  const encryptType = q.get("encrypt_type");
  const encrypted = encryptType === "aes";
  if (encryptType !== null && encryptType !== "raw" && !encrypted) return refuse(400, "bad_encrypt_type");
  // WeChat sends the URL signature in all three modes: it is checked before a byte of the body
  // is read, so an anonymous sender costs a hash, never a read, a parse or a decryption.
  if (!signature || !timestamp || !nonce || (encrypted && !msgSignature)) return refuse(400, "missing_params");

  const account = await resolveAccount(input, deps);
  if ("status" in account) return account;
  const refuseFor = (status: number, reason: string) => refuse(status, reason, { account: account.id });

  // Signed with another account's Token (sent to the wrong account's URL) fails here too: counted
  // under the account the URL names, nothing read, nothing stored.
  if (!verifySignature({ token: account.token, timestamp, nonce, signature })) return refuseFor(401, "bad_signature");
  const stale = checkTimestamp(timestamp, input, deps, account.id);
  if (stale) return stale;
  if (!encrypted) {
    // Outside plaintext mode WeChat always encrypts, and the URL signature does not cover a body
    // sent in the clear: such a body is a forgery (see the README on switching modes).
    if (account.mode === "safe") return refuseFor(403, "plaintext_refused_in_safe_mode");
    if (account.mode === "compat") return refuseFor(403, "plaintext_refused_in_compat_mode");
  } else if (!account.aesKeys.length) {
    return refuseFor(400, "no_encoding_aes_key");
  }

  const body = input.readBody ? await input.readBody() : ({ ok: true, text: "" } as const);
  if (!body.ok) return refuseFor(body.reason === "too_large" ? 413 : 400, body.reason);

  let fields: WeChatXml;
  let rawXml: string;
  let keyIndex = 0;
  try {
    const outer = parseWeChatXml(body.text);
    if (encrypted) {
      const encrypt = outer.Encrypt;
      if (typeof encrypt !== "string" || !encrypt) return refuseFor(400, "missing_encrypt");
      if (!verifyMsgSignature({ token: account.token, timestamp, nonce, encrypt, msgSignature: msgSignature! })) {
        return refuseFor(401, "bad_msg_signature");
      }
      const decrypted = decryptMessage(encrypt, account.aesKeys, account.appId);
      keyIndex = decrypted.keyIndex;
      rawXml = decrypted.plaintext;
      fields = parseWeChatXml(rawXml);
    } else {
      rawXml = body.text;
      fields = outer;
    }
  } catch (err) {
    if (isAppError(err, "WECHAT_PROTOCOL")) return refuseFor(httpStatusOf(err.code), err.reason);
    throw err;
  }
  // PostgreSQL text and jsonb cannot hold NUL, and XML 1.0 forbids it anyway.
  if (rawXml.includes("\u0000")) return refuseFor(400, "bad_xml");

  let row: InboundRow;
  try {
    row = normalizeInbound(fields, rawXml, account.id, encrypted, input.receivedAt);
  } catch (err) {
    // The body names the field, so whoever sent it can tell what to fix.
    if (isAppError(err, "INVALID_MESSAGE")) return { ...refuseFor(httpStatusOf(err.code), err.reason), body: `bad request: ${err.reason} (${err.message})` };
    throw err;
  }
  const decided = deps.decideReply ? await deps.decideReply(row) : null;
  if (decided) {
    const answer: Answer = "reply" in decided ? decided : { reply: decided, ruleId: null, deferred: [] };
    row.replyXml = buildReplyXml(answer.reply, { toUser: row.fromUser, fromUser: row.toUser });
    row.answer = planAnswer(answer, row.fromUser);
  }

  // The time budget runs from arrival: connecting, retrying and spooling all fit inside it.
  const recorded = await deps.store.record(row, { receivedAt: input.receivedAt });
  const outcome = recorded.stored === "inserted" ? "stored" : recorded.stored;
  const base = { account: account.id, msgType: row.event ? `${row.msgType}.${row.event}` : row.msgType, outcome } as const;
  if (!recorded.replyXml) return { status: 200, body: "success", contentType: TEXT, ...base };
  const replyBody = encrypted
    ? buildEncryptedReply(recorded.replyXml, { key: account.aesKeys[keyIndex]!, appId: account.appId, token: account.token, nonce })
    : recorded.replyXml;
  return { status: 200, body: replyBody, contentType: XML, ...base };
}

function recordEvent(deps: CallbackDeps, method: "GET" | "POST", input: CallbackInput, result: CallbackResult) {
  deps.callbackLog.record({
    accountId: result.account ?? null,
    method,
    outcome: result.outcome === "verified" ? "verified" : result.outcome === "error" ? "error" : "refused",
    reason: result.reason ?? null,
    status: result.status,
    sourceIp: input.sourceIp,
    createdAt: input.receivedAt,
  });
}
