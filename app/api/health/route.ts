import { getCallbackRuntime } from "@/lib/callback/callback-runtime";
import { getPool } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { checkHealth } from "@/lib/health";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const rt = getCallbackRuntime();
  const health = await checkHealth({ pool: getPool(), accounts: rt.accounts, store: rt.store, spoolDir: getEnv().spoolDir });
  return Response.json(health, { status: health.status === "unavailable" ? 503 : 200, headers: { "cache-control": "no-store" } });
}
