import type { BodyResult } from "../callback/handle-callback";
import { getEnv } from "../env";
import { clientIpOf } from "./client-ip";

// Reads a request body up to `limit` bytes. A declared Content-Length over the limit is refused
// without reading; a chunked body is read only until it crosses the limit. What is left unread
// is the business of drainBody, once the answer is decided.
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
  try {
    const size = await readUpTo(reader, limit, chunks);
    if (size === null) {
      reader.releaseLock();
      return { ok: false, reason: "too_large" };
    }
    return { ok: true, text: Buffer.concat(chunks, size).toString("utf8") };
  } catch {
    return { ok: false, reason: "unreadable" };
  }
}

/** Reads to the end, keeping the chunks in `keep` if given: the size read, or null past `limit` bytes. */
async function readUpTo(reader: ReadableStreamDefaultReader<Uint8Array>, limit: number, keep?: Uint8Array[]): Promise<number | null> {
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return size;
    size += value.byteLength;
    if (size > limit) return null;
    keep?.push(value);
  }
}

/**
 * Reads and discards what is left of a request body, in the background, up to `limit` bytes and
 * `ms` milliseconds, then gives up (cancelling closes the connection). A server that closes a
 * connection with unread data in it sends a TCP reset, and the reset can destroy an answer (a
 * 413, a 401) that the client, still sending, has not read yet. Returns false, reading nothing,
 * when the declared length alone is over `limit`: the caller should then close the connection.
 */
export function drainBody(request: Request, limit: number, ms: number): boolean {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) return false;
  // A declared length within bounds is read whole by readBodyLimited (the usual case): once read,
  // nothing is left to drain, and no reader or timer is paid for. A chunked body may have been
  // left half read, so it is always drained.
  if (declared !== null && request.bodyUsed) return true;
  const body = request.body;
  if (!body || body.locked) return true;
  const reader = body.getReader();
  const giveUp = () => void reader.cancel().catch(() => {});
  const timer = setTimeout(giveUp, ms).unref();
  void (async () => {
    try {
      if ((await readUpTo(reader, limit)) === null) giveUp();
    } catch {
      // The client went away: nothing left to protect.
    } finally {
      clearTimeout(timer);
    }
  })();
  return true;
}

/** The caller's address, decided in one place (lib/http/client-ip.ts); null when unknown. */
export function sourceIpOf(headers: Headers): string | null {
  const ip = clientIpOf(headers, getEnv().trustedProxies);
  return ip === "unknown" ? null : ip;
}
