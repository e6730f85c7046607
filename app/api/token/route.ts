import { getCallbackRuntime } from "@/lib/callback/callback-runtime";
import { getEnv } from "@/lib/env";
import { clientIpOf } from "@/lib/http/client-ip";
import { serveTokenRequest } from "@/lib/tokens";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// The central token endpoint (中控) for other internal services: see lib/tokens/serve-token-request.ts.
export async function GET(request: Request): Promise<Response> {
  const answer = await serveTokenRequest(
    {
      authorization: request.headers.get("authorization"),
      appId: new URL(request.url).searchParams.get("account"),
      clientIp: clientIpOf(request.headers, getEnv().trustedProxies),
    },
    // The callback's in-memory account directory: ?account=<AppID>, else the first account.
    (appId) => getCallbackRuntime().accounts.resolve(appId),
  );
  return Response.json(answer.body, { status: answer.status, headers: { "cache-control": "no-store", ...answer.headers } });
}
