import type { TokenError } from "./tokens/types";
import type { ProtocolErrorReason } from "./wechat/errors";

// The one way mpdesk raises an error it means to raise: an AppError with a code from a closed
// list. Callers tell errors apart with isAppError(err, code), which reads the code field, never
// instanceof: Next.js may load a module once per bundle, so the class that threw and the class a
// caller imported are not always the same object. HTTP answers come from the one table below.
// No Next.js here: lib/, scripts and route handlers all use it.

// code → status, the `error` word of a JSON answer, and whether `details` are part of that answer.
const TABLE = {
  UNAUTHORIZED: { status: 401, error: "unauthorized" },
  FORBIDDEN: { status: 403, error: "forbidden" },
  NOT_FOUND: { status: 404, error: "not_found" },
  /** Something a person typed or a client sent is not acceptable (an API key name, a CLI flag). */
  INVALID_INPUT: { status: 400, error: "invalid_input" },
  /** A callback body that is WeChat XML but not a message we can keep (a missing or over-long field). */
  INVALID_MESSAGE: { status: 400, error: "bad_message" },
  /** What WeChat (or someone pretending to be WeChat) sent cannot be parsed or decrypted. */
  WECHAT_PROTOCOL: { status: 400, error: "bad_request" },
  RATE_LIMITED: { status: 429, error: "too_many_requests" },
  /** At capacity right now (password hashing): try again in a moment. */
  BUSY: { status: 503, error: "busy" },
  /** The database cannot be reached for this request. */
  UNAVAILABLE: { status: 503, error: "unavailable" },
  /** A message could be neither stored nor spooled. */
  STORE_UNAVAILABLE: { status: 503, error: "store_unavailable" },
  /** A queued write whose caller has stopped waiting. */
  DEADLINE_PASSED: { status: 503, error: "deadline_passed" },
  /** No access_token can be handed out; the details say why and what a person should do. */
  TOKEN_UNAVAILABLE: { status: 503, error: "token_unavailable", public: true },
  /** A call to WeChat's API got no WeChat answer (timeout, refused, not JSON). */
  WECHAT_NETWORK: { status: 502, error: "wechat_unreachable" },
  /** A WeChat business API answered an errcode. */
  WECHAT_API: { status: 502, error: "wechat_error" },
  /** The configuration (environment, seed values) is wrong; the message names the variable. */
  CONFIG: { status: 500, error: "config" },
  SECRET_ENVELOPE: { status: 500, error: "internal_error" },
  EMBEDDED_POSTGRES: { status: 500, error: "internal_error" },
  INTERNAL: { status: 500, error: "internal_error" },
} as const satisfies Record<string, { status: number; error: string; public?: true }>;

export type AppErrorCode = keyof typeof TABLE;
export const APP_ERROR_CODES = Object.keys(TABLE) as readonly AppErrorCode[];

/** The finer word (snake_case) some codes carry: the callback's 400 reasons, /api/token's 404s. */
interface Reasons {
  WECHAT_PROTOCOL: ProtocolErrorReason;
  INVALID_MESSAGE: "bad_message" | "field_too_long";
}
/** Typed extra fields, for the codes that need them. */
interface Details {
  CONFIG: { problems: string[] };
  WECHAT_API: { errcode: number; errmsg: string; path: string };
  TOKEN_UNAVAILABLE: TokenError;
}

export type AppErrorReason<C extends AppErrorCode> = C extends keyof Reasons ? Reasons[C] : string;
/** Required (and so always present) for the codes in Reasons. */
type ReasonField<C extends AppErrorCode> = C extends keyof Reasons ? Reasons[C] : string | undefined;
export type AppErrorDetails<C extends AppErrorCode> = C extends keyof Details ? Details[C] : undefined;

type BaseOptions<C extends AppErrorCode> = {
  /** For logs and operators; never sent to an HTTP client. Defaults to the reason, else the code. */
  message?: string;
  /** A sentence an API client may read (the `message` of the JSON answer). */
  userMessage?: string;
  headers?: Record<string, string>;
  cause?: unknown;
  reason?: AppErrorReason<C>;
};
export type AppErrorOptions<C extends AppErrorCode> = BaseOptions<C> &
  (C extends keyof Details ? { details: Details[C] } : { details?: undefined }) &
  (C extends keyof Reasons ? { reason: Reasons[C] } : unknown);
type OptionsArg<C extends AppErrorCode> = C extends keyof Details | keyof Reasons ? [options: AppErrorOptions<C>] : [options?: AppErrorOptions<C>];

export class AppError<C extends AppErrorCode = AppErrorCode> extends Error {
  override readonly name = "AppError";
  readonly code: C;
  readonly reason: ReasonField<C>;
  readonly details: AppErrorDetails<C>;
  readonly userMessage: string | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: C, ...[options]: OptionsArg<C>) {
    const o = (options ?? {}) as BaseOptions<C> & { details?: AppErrorDetails<C> };
    super(o.message ?? o.reason ?? code, o.cause === undefined ? undefined : { cause: o.cause });
    this.code = code;
    this.reason = o.reason as ReasonField<C>;
    this.details = o.details as AppErrorDetails<C>;
    this.userMessage = o.userMessage;
    this.headers = o.headers;
  }
}

function isCode(value: unknown): value is AppErrorCode {
  return typeof value === "string" && Object.hasOwn(TABLE, value);
}

/** An AppError from any copy of this module (by its code); with `code`, that code only. */
export function isAppError(err: unknown): err is AppError;
export function isAppError<C extends AppErrorCode>(err: unknown, code: C): err is AppError<C>;
export function isAppError(err: unknown, code?: AppErrorCode): boolean {
  if (typeof err !== "object" || err === null) return false;
  const actual = (err as { code?: unknown }).code;
  return isCode(actual) && (code === undefined || actual === code);
}

export function httpStatusOf(code: AppErrorCode): number {
  return TABLE[code].status;
}

export type HttpError = { status: number; body: { error: string; message?: string; [field: string]: unknown }; headers?: Record<string, string> };

/**
 * The HTTP answer for an error: `{ error: <reason, else the code's word>, message?: <userMessage>,
 * ...details when the table publishes them }`. Anything that is not an AppError is a 500 that says
 * nothing about itself (the caller logs it).
 */
export function toHttpError(err: unknown): HttpError {
  if (!isAppError(err)) return { status: 500, body: { error: "internal_error" } };
  const entry: { status: number; error: string; public?: true } = TABLE[err.code];
  const body: HttpError["body"] = { error: typeof err.reason === "string" ? err.reason : entry.error };
  if (typeof err.userMessage === "string") body.message = err.userMessage;
  if (entry.public && typeof err.details === "object" && err.details !== null) Object.assign(body, err.details);
  return err.headers ? { status: entry.status, body, headers: { ...err.headers } } : { status: entry.status, body };
}

/** toHttpError as a Response, for route handlers; `headers` are added to the error's own. */
export function errorResponse(err: unknown, headers: Record<string, string> = {}): Response {
  const answer = toHttpError(err);
  return Response.json(answer.body, { status: answer.status, headers: { ...headers, ...answer.headers } });
}
