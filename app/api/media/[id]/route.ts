import { requireAccountForRoute } from "@/lib/auth/require-user";
import { getPool } from "@/lib/db";
import { readMediaBytes } from "@/lib/media/media-queries";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/media/<id>?account=<AppID>: a kept media file's bytes, for the console to show (a rule's
// image, a thumbnail). Anyone who may view the account; for anyone else the file does not exist.
// The bytes came from a person's upload or from WeChat, so they are never served as something a
// browser would run: only the types WeChat takes are named as such, everything else is an
// octet-stream download, and, opened on its own, the answer may run nothing whatever its type
// (next.config.mjs gives every /api answer `Content-Security-Policy: default-src 'none'`).

const SHOWN = new Set(["image/jpeg", "image/png", "image/gif", "image/bmp", "audio/amr", "audio/mpeg", "video/mp4"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const notFound = () => Response.json({ error: "not_found" }, { status: 404, headers: { "cache-control": "no-store" } });

/** `inline; filename="cover.jpg"; filename*=UTF-8''…`: an ASCII fallback without quotes or controls, and the real name. */
function disposition(kind: "inline" | "attachment", filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_").slice(0, 100) || "media";
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename.slice(0, 100))}`;
}

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const access = await requireAccountForRoute(new URL(request.url).searchParams.get("account"), { role: "viewer" });
  if (access instanceof Response) return access;
  const { id } = await params;
  if (!UUID.test(id)) return notFound();
  const media = await readMediaBytes(getPool(), access.account.id, id);
  if (!media) return notFound();
  const type = media.contentType.split(";")[0]!.trim().toLowerCase();
  const shown = SHOWN.has(type);
  return new Response(new Uint8Array(media.bytes), {
    headers: {
      "content-type": shown ? type : "application/octet-stream",
      "content-length": String(media.bytes.length),
      "content-disposition": disposition(shown ? "inline" : "attachment", media.filename),
      "x-content-type-options": "nosniff",
      "cache-control": "private, max-age=3600",
    },
  });
}
