import type { BodyResult } from "../callback/handle-callback";
import { getEnv } from "../env";
import { clientIpOf } from "./client-ip";

// Reads a request body up to `limit` bytes. A declared Content-Length over the limit is refused
// without reading; a chunked body is read only until it crosses the limit, then cancelled.
export async function readBodyLimited(request: Request, limit: number): Promise<BodyResult> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) return { ok: false, reason: "too_large" };
  if (!request.body) return { ok: true, text: "" };
  if (declared !== null) {
    // Length known and within bounds: let the runtime consume the body natively. A client that
    // sends more than it declared is cut off by the HTTP parser, not by us.
    try {
      return { ok: true, text: await request.text() };
    } catch {
      return { ok: false, reason: "unreadable" };
    }
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return { ok: false, reason: "too_large" };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  return { ok: true, text: Buffer.concat(chunks, size).toString("utf8") };
}

/** The caller's address, decided in one place (lib/http/client-ip.ts); null when unknown. */
export function sourceIpOf(headers: Headers): string | null {
  const ip = clientIpOf(headers, getEnv().trustedProxies);
  return ip === "unknown" ? null : ip;
}
