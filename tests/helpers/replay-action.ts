import assert from "node:assert/strict";
import type { Page, Request } from "@playwright/test";

// A server action's request, captured in the browser as an admin sends it, to be replayed with
// another session: the refusal tests show that the server checks the role, not the page.

export type CapturedAction = { url: string; headers: Record<string, string>; body: Buffer };

export const isServerAction = (r: Request) => r.method() === "POST" && Boolean(r.headers()["next-action"]);

export async function toCaptured(r: Request): Promise<CapturedAction> {
  return { url: r.url(), headers: await r.allHeaders(), body: r.postDataBuffer() ?? Buffer.alloc(0) };
}

/** The (last) server-action POST `page` sends while `act` runs. */
export async function captureAction(page: Page, act: () => Promise<void>): Promise<CapturedAction> {
  let captured: CapturedAction | null = null;
  const onRequest = async (r: Request) => {
    if (isServerAction(r)) captured = await toCaptured(r);
  };
  page.on("request", onRequest);
  await act();
  page.off("request", onRequest);
  assert.ok(captured, "the admin's request was captured");
  return captured;
}

/** The captured headers without the session, length and host, which the replaying context sets. */
export function replayHeaders(c: CapturedAction): Record<string, string> {
  const { cookie: _c, "content-length": _l, host: _h, ...headers } = c.headers;
  return headers;
}
