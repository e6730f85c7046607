import type { NextRequest } from "next/server";
import { getCallbackRuntime } from "@/lib/callback/callback-runtime";
import { handleMessage, handleVerification, MAX_BODY_BYTES, type CallbackResult } from "@/lib/callback/handle-callback";
import { drainBody, readBodyLimited, sourceIpOf } from "@/lib/http/read-body";
import { log } from "@/lib/log";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

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

export async function GET(request: NextRequest): Promise<Response> {
  const started = performance.now();
  const result = await handleVerification(
    { query: request.nextUrl.searchParams, sourceIp: sourceIpOf(request.headers), receivedAt: new Date() },
    getCallbackRuntime(),
  );
  return respond("GET", started, result);
}

export async function POST(request: NextRequest): Promise<Response> {
  const started = performance.now();
  const result = await handleMessage(
    {
      query: request.nextUrl.searchParams,
      sourceIp: sourceIpOf(request.headers),
      receivedAt: new Date(),
      readBody: () => readBodyLimited(request, MAX_BODY_BYTES),
    },
    getCallbackRuntime(),
  );
  const draining = drainBody(request, DRAIN_LIMIT_BYTES, DRAIN_MS);
  return respond("POST", started, result, !draining);
}
