import { getCallbackRuntime } from "@/lib/callback/callback-runtime";
import { getPool } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { clientIpOf } from "@/lib/http/client-ip";
import { drainBody, readBodyLimited } from "@/lib/http/read-body";
import { MESSAGES_BODY_LIMIT, serveMessagesRequest } from "@/lib/outbound/messages-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// What is read and thrown away after a refusal, so the client still reads its 401 or 413: a
// connection closed with unread data in it is reset, and the reset can destroy the answer.
const DRAIN_LIMIT_BYTES = 1024 * 1024;

// Other services send customer-service messages through mpdesk with an API key (scope
// messages:send): see lib/outbound/messages-api.ts.
export async function POST(request: Request): Promise<Response> {
  const answer = await serveMessagesRequest(
    {
      authorization: request.headers.get("authorization"),
      idempotencyKey: request.headers.get("idempotency-key"),
      clientIp: clientIpOf(request.headers, getEnv().trustedProxies),
      readBody: () => readBodyLimited(request, MESSAGES_BODY_LIMIT),
    },
    // The account directory GET /api/token uses: "account" names one, else the default account.
    { db: getPool(), resolveAccount: (appId) => getCallbackRuntime().accounts.resolve(appId) },
  );
  // A refusal before the body was read (a wrong key, a body over the limit) leaves it unread.
  const close = !drainBody(request, DRAIN_LIMIT_BYTES, 1_000);
  return Response.json(answer.body, {
    status: answer.status,
    headers: { "cache-control": "no-store", ...answer.headers, ...(close ? { connection: "close" } : {}) },
  });
}
