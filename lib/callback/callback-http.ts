import { drainBody, readBodyLimited, sourceIpOf } from "../http/read-body";
import { log } from "../log";
import { getCallbackRuntime } from "./callback-runtime";
import { handleMessage, handleVerification, MAX_BODY_BYTES, type CallbackResult } from "./handle-callback";

// The HTTP side of the callback, shared by /api/wechat (the default account, or `?account=`) and
// /api/wechat/<AppID>: the route files only say which AppID their URL names.

// What is left of a refused body is read and discarded after answering, up to this much, so the
// answer reaches a client that is still sending; beyond it the connection is closed.
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;
const DRAIN_MS = 15_000;

function respond(method: string, started: number, result: CallbackResult, closeConnection = false): Response {
  log.info("callback", {
    method,
    account: result.account,
    type: result.msgType,
    outcome: result.outcome,
    reason: result.reason,
    status: result.status,
    ms: Math.round((performance.now() - started) * 10) / 10,
  });
  const headers: Record<string, string> = { "content-type": result.contentType };
  if (closeConnection) headers.connection = "close";
  return new Response(result.body, { status: result.status, headers });
}

/** GET: WeChat's URL verification. */
export async function answerVerification(request: Request, pathAppId: string | null): Promise<Response> {
  const started = performance.now();
  const result = await handleVerification(
    { query: new URL(request.url).searchParams, pathAppId, sourceIp: sourceIpOf(request.headers), receivedAt: new Date() },
    getCallbackRuntime(),
  );
  return respond("GET", started, result);
}

/** POST: a message or event. */
export async function answerMessage(request: Request, pathAppId: string | null): Promise<Response> {
  const started = performance.now();
  const result = await handleMessage(
    {
      query: new URL(request.url).searchParams,
      pathAppId,
      sourceIp: sourceIpOf(request.headers),
      receivedAt: new Date(),
      readBody: () => readBodyLimited(request, MAX_BODY_BYTES),
    },
    getCallbackRuntime(),
  );
  const draining = drainBody(request, DRAIN_LIMIT_BYTES, DRAIN_MS);
  return respond("POST", started, result, !draining);
}
