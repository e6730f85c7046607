import { test } from "node:test";
import assert from "node:assert/strict";
import { AppError, APP_ERROR_CODES, httpStatusOf, isAppError, toHttpError, type AppErrorCode } from "../../lib/app-error";

// Next.js may bundle a module once per entry point, so the AppError a library throws and the one
// a route imports can be two classes. A query string gives Node a second, separate copy.
const secondCopyUrl = new URL("../../lib/app-error.ts?second-copy", import.meta.url).href;
const loadSecondCopy = () => import(secondCopyUrl) as Promise<typeof import("../../lib/app-error")>;

test("an AppError is an Error with a code, details and a cause", () => {
  const cause = new Error("socket hang up");
  const err = new AppError("WECHAT_API", {
    message: "/cgi-bin/x failed",
    details: { errcode: 40001, errmsg: "invalid credential", path: "/cgi-bin/x" },
    cause,
  });
  assert.ok(err instanceof Error);
  assert.equal(err.name, "AppError");
  assert.equal(err.code, "WECHAT_API");
  assert.equal(err.message, "/cgi-bin/x failed");
  assert.equal(err.details.errcode, 40001);
  assert.equal(err.cause, cause);
  assert.equal(new AppError("FORBIDDEN").message, "FORBIDDEN");
});

test("isAppError tells errors apart by code, also across two copies of the module", async () => {
  const copy = await loadSecondCopy();
  assert.notEqual(copy.AppError, AppError, "the test needs a real second copy");
  const fromCopy = new copy.AppError("FORBIDDEN", { message: "forbidden" });
  assert.equal(fromCopy instanceof AppError, false, "instanceof fails across copies: that is the point");
  assert.equal(isAppError(fromCopy), true);
  assert.equal(isAppError(fromCopy, "FORBIDDEN"), true);
  assert.equal(isAppError(fromCopy, "NOT_FOUND"), false);
  assert.equal(copy.isAppError(new AppError("NOT_FOUND"), "NOT_FOUND"), true);

  // The same holds for an error built by hand with the same fields.
  const plain = Object.assign(new Error("store down"), { code: "STORE_UNAVAILABLE" });
  assert.equal(isAppError(plain, "STORE_UNAVAILABLE"), true);
});

test("isAppError refuses what is not one of ours", () => {
  for (const value of [
    null,
    undefined,
    "FORBIDDEN",
    403,
    {},
    new Error("x"),
    Object.assign(new Error("pg"), { code: "57014" }),
    Object.assign(new Error("fs"), { code: "ENOENT" }),
    { code: "toString" },
    { code: "__proto__" },
  ]) {
    assert.equal(isAppError(value), false, String((value as { code?: unknown } | null)?.code ?? value));
  }
});

test("one table from code to HTTP status", () => {
  const expected: Record<AppErrorCode, number> = {
    UNAUTHORIZED: 401,
    FORBIDDEN: 403,
    NOT_FOUND: 404,
    INVALID_INPUT: 400,
    INVALID_MESSAGE: 400,
    WECHAT_PROTOCOL: 400,
    RATE_LIMITED: 429,
    BUSY: 503,
    UNAVAILABLE: 503,
    STORE_UNAVAILABLE: 503,
    DEADLINE_PASSED: 503,
    TOKEN_UNAVAILABLE: 503,
    WECHAT_NETWORK: 502,
    WECHAT_API: 502,
    CONFIG: 500,
    SECRET_ENVELOPE: 500,
    EMBEDDED_POSTGRES: 500,
    INTERNAL: 500,
  };
  assert.deepEqual([...APP_ERROR_CODES].sort(), Object.keys(expected).sort());
  for (const [code, status] of Object.entries(expected)) assert.equal(httpStatusOf(code as AppErrorCode), status, code);
});

test("the JSON body: error is the reason or the code's word; message and headers only when given", () => {
  assert.deepEqual(toHttpError(new AppError("UNAUTHORIZED", { userMessage: "Send a key", headers: { "www-authenticate": 'Bearer realm="mpdesk"' } })), {
    status: 401,
    body: { error: "unauthorized", message: "Send a key" },
    headers: { "www-authenticate": 'Bearer realm="mpdesk"' },
  });
  assert.deepEqual(toHttpError(new AppError("NOT_FOUND", { reason: "unknown_account" })), { status: 404, body: { error: "unknown_account" } });
  // The internal message never reaches the body.
  assert.deepEqual(toHttpError(new AppError("UNAVAILABLE", { message: "connect ECONNREFUSED 10.0.0.5:5432" })), {
    status: 503,
    body: { error: "unavailable" },
  });
  const fix = { en: "Add 203.0.113.7 to the IP whitelist", zh: "请添加 203.0.113.7" };
  assert.deepEqual(toHttpError(new AppError("TOKEN_UNAVAILABLE", { details: { errcode: 40164, errmsg: "invalid ip", ip: "203.0.113.7", fix } })), {
    status: 503,
    body: { error: "token_unavailable", errcode: 40164, errmsg: "invalid ip", ip: "203.0.113.7", fix },
  });
  // Details the table does not publish stay inside.
  assert.deepEqual(toHttpError(new AppError("CONFIG", { details: { problems: ["AUTH_SECRET is not set"] } })), { status: 500, body: { error: "config" } });
});

test("anything else is a 500 internal_error that says nothing", async () => {
  assert.deepEqual(toHttpError(new Error('relation "account" does not exist')), { status: 500, body: { error: "internal_error" } });
  assert.deepEqual(toHttpError("boom"), { status: 500, body: { error: "internal_error" } });
  // An AppError from another copy of the module maps the same way.
  const copy = await loadSecondCopy();
  assert.deepEqual(toHttpError(new copy.AppError("NOT_FOUND", { reason: "no_account_configured" })), { status: 404, body: { error: "no_account_configured" } });
});
