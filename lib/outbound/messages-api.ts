import { AppError, toHttpError } from "../app-error";
import type { BodyResult } from "../callback/handle-callback";
import type { Queryable } from "../db";
import { getEnv } from "../env";
import { errorFields, log } from "../log";
import { assertKeyCovers, authenticateApiKey } from "../tokens/authenticate-api-key";
import type { ApiKeyCaller } from "../tokens/api-keys";
import { parseApiMessage } from "./api-message-schema";
import { dedupeKeyOf, selectSendByKey, type SendRow } from "./outbound-queries";
import { outcomeOf, sendCustomMessage } from "./send-message";
import type { SendOrigin, SendOutcome } from "./types";

// POST /api/messages: other services reply to followers through mpdesk, which is then the one
// place that sends and the one log of what was sent. A plain function of the request's inputs, so
// the route handler stays a thin adapter. The order of the checks is the order of the answers a
// caller can fix: the key (401), its scope (403), the body (413/400), the account (403/404), then
// WeChat's rules as sendCustomMessage applies them. Nothing of the message's content is logged.

/** A custom/send body is a few KiB at most (text is capped at 2048 bytes by WeChat). */
export const MESSAGES_BODY_LIMIT = 64 * 1024;
// Idempotency keys are what clients generate: UUIDs, request ids. Visible ASCII keeps them loggable.
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export type MessagesRequest = {
  authorization: string | null;
  idempotencyKey: string | null;
  /** The caller's address as lib/http/client-ip.ts decides it (the wrong-key limit is per address). */
  clientIp: string;
  /** Reads the body up to MESSAGES_BODY_LIMIT; called once the key is known to be good. */
  readBody: () => Promise<BodyResult>;
};
export type MessagesDeps = {
  db: Queryable;
  /** The account directory GET /api/token uses: the AppID's account, else the default (oldest) one. */
  resolveAccount: (appId: string | null) => Promise<{ id: string; appId: string } | null>;
  /** How long a retry waits for the first request's call to WeChat; defaults to twice WeChat's timeout. */
  inFlightWaitMs?: number;
};
export type MessagesAnswer = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };

export async function serveMessagesRequest(request: MessagesRequest, deps: MessagesDeps): Promise<MessagesAnswer> {
  try {
    return await sendFromApi(request, deps);
  } catch (err) {
    const answer = toHttpError(err);
    if (answer.status >= 500) log.error("messages_api.failed", errorFields(err));
    return answer;
  }
}

async function sendFromApi(request: MessagesRequest, deps: MessagesDeps): Promise<MessagesAnswer> {
  const caller = await authenticateApiKey(request, "messages:send");
  const idempotencyKey = request.idempotencyKey?.trim() || null;
  if (idempotencyKey !== null && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    return { status: 400, body: { error: "invalid_idempotency_key", message: "Idempotency-Key is 1–255 visible ASCII characters, e.g. a UUID." } };
  }
  const body = await request.readBody();
  if (!body.ok) {
    return body.reason === "too_large"
      ? { status: 413, body: { error: "payload_too_large", message: `The body is limited to ${MESSAGES_BODY_LIMIT} bytes.` } }
      : { status: 400, body: { error: "invalid_body", field: null, message: "The body could not be read." } };
  }
  let json: unknown;
  try {
    json = JSON.parse(body.text);
  } catch {
    return {
      status: 400,
      body: {
        error: "invalid_json",
        message: 'The body is not JSON: send WeChat\'s custom/send body, e.g. {"touser": …, "msgtype": "text", "text": {"content": …}}.',
      },
    };
  }
  const parsed = parseApiMessage(json);
  if (!parsed.ok) return { status: 400, body: { error: "invalid_body", field: parsed.field, message: parsed.message } };

  const accountId = await accountFor(caller, parsed.appId, deps);
  const origin: SendOrigin = { source: "api", apiKeyId: caller.id, ...(idempotencyKey ? { idempotencyKey } : {}) };
  let outcome = await sendCustomMessage(deps.db, accountId, parsed.message, origin);
  if (outcome.id !== null && idempotencyKey) {
    const key = dedupeKeyOf(origin)!;
    const row = await selectSendByKey(deps.db, accountId, key);
    // sendCustomMessage answers a known dedupe key with its first row, whatever the body: a key
    // reused for another message must not pass for the answer to that message.
    if (row && canonicalJson(row.sendBody) !== canonicalJson(parsed.message)) {
      log.info("messages_api.idempotency_key_reused", { account: accountId, caller: caller.name });
      return {
        status: 422,
        body: { error: "idempotency_key_reused", message: "This Idempotency-Key was used for another message; use a new key for a new message." },
      };
    }
    // A "queued" read while the first request was still calling WeChat is re-read (and waited for),
    // even when that call has finished by now: the first request answered what the row says now.
    if (row && outcome.status === "queued")
      outcome = await settledOutcome(deps.db, accountId, key, deps.inFlightWaitMs ?? getEnv().MPDESK_WECHAT_TIMEOUT_MS * 2 + 1_000);
  }
  log.info("messages_api.send", {
    account: accountId,
    caller: caller.name,
    msgtype: parsed.message.msgtype,
    outcome: outcome.status === "refused" ? outcome.error : outcome.status,
    ...(outcome.status === "failed" ? { errcode: outcome.errcode } : {}),
  });
  return answerFor(outcome);
}

/**
 * The account named in the body, else the key's only account, else the default account as
 * GET /api/token chooses it. A key scoped to some accounts gets the same 403 for every AppID it
 * does not cover, existing or not.
 */
async function accountFor(caller: ApiKeyCaller, appId: string | null, deps: MessagesDeps): Promise<string> {
  if (!appId && caller.accountIds?.size === 1) return [...caller.accountIds][0]!;
  let account: Awaited<ReturnType<MessagesDeps["resolveAccount"]>>;
  try {
    account = await deps.resolveAccount(appId);
  } catch (err) {
    log.error("messages_api.accounts_unavailable", errorFields(err));
    throw new AppError("UNAVAILABLE", { reason: "accounts_unavailable", cause: err });
  }
  if (!appId && caller.accountIds && !(account && caller.accountIds.has(account.id))) {
    throw new AppError("FORBIDDEN", { userMessage: 'This key covers several accounts but not the default one: name one with "account": "<AppID>".' });
  }
  assertKeyCovers(caller, account);
  if (!account) throw new AppError("NOT_FOUND", { reason: appId ? "unknown_account" : "no_account_configured" });
  return account.id;
}

/** Queued with no word from WeChat yet: the first request is calling it right now (a deferred row carries WeChat's -1). */
const inFlight = (row: SendRow) => row.sendStatus === "queued" && row.sendErrcode === null;

/**
 * A retry that arrives while the first request is still waiting for WeChat answers what the first
 * one answers, not "queued": it waits for the row to settle, as long as one call to WeChat may take
 * (a token refresh and a retry included). A row that never settles (its process died) is the job
 * queue's, and the answer is then 202.
 */
async function settledOutcome(db: Queryable, accountId: string, key: string, waitMs: number): Promise<SendOutcome> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const row = (await selectSendByKey(db, accountId, key))!;
    if (!inFlight(row) || Date.now() >= deadline) return outcomeOf(row);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** JSON with object keys sorted: jsonb does not keep the order the body was written in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The answers of the README's table, exactly. */
export function answerFor(outcome: SendOutcome): MessagesAnswer {
  switch (outcome.status) {
    case "sent":
      return { status: 200, body: { id: outcome.id, status: "sent" } };
    case "queued":
      // Accepted: WeChat answered -1 or not in time, and the job queue sends it (once) later.
      return { status: 202, body: { id: outcome.id, status: "queued" } };
    case "failed":
      return { status: 502, body: { error: "wechat_error", errcode: outcome.errcode, errmsg: outcome.errmsg, fix: outcome.fix } };
    case "refused":
      switch (outcome.error) {
        case "window_closed":
          return { status: 409, body: { error: "window_closed" } };
        case "quota_exhausted":
          return { status: 429, body: { error: "quota_exhausted" } };
        case "not_capable":
          // Like a missing permission: nothing the caller retries fixes it until the account is certified.
          return { status: 403, body: { error: "not_capable", fix: outcome.fix } };
      }
  }
}
