import type { NextRequest } from "next/server";
import { getCallbackRuntime } from "@/lib/callback/callback-runtime";
import { handleMessage, handleVerification, MAX_BODY_BYTES, type CallbackResult } from "@/lib/callback/handle-callback";
import { readBodyLimited, sourceIpOf } from "@/lib/http/read-body";
import { log } from "@/lib/log";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

function respond(method: string, started: number, result: CallbackResult): Response {
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
  // The rest of an oversize body was never read: close the connection rather than reuse it.
  if (result.status === 413) headers.connection = "close";
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
  return respond("POST", started, result);
}
