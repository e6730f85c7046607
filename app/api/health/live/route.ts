// Liveness: the process answers HTTP. No I/O, so it is also the framework's own floor in `npm run bench`.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(): Response {
  return new Response("ok", { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}
