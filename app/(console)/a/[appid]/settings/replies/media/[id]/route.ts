import { requireAccountForRoute } from "@/lib/auth/require-user";
import { getPool } from "@/lib/db";
import { readMediaBytes } from "@/lib/media/media-queries";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Only what a reply can hold is served inline; anything else would be a file to download, not to show.
const INLINE = /^(image\/(jpeg|png|gif|bmp)|audio\/(mpeg|amr)|video\/mp4)$/i;
const notFound = () => Response.json({ error: "not_found" }, { status: 404, headers: { "cache-control": "no-store" } });

// GET /a/<AppID>/settings/replies/media/<asset id>: the bytes mpdesk kept of a file it put on
// WeChat, so an imported rule's image shows in the console without asking WeChat (whose
// temporary copy is gone after 3 days). Anyone who may view the account.
export async function GET(_request: Request, { params }: { params: Promise<{ appid: string; id: string }> }): Promise<Response> {
  const { appid, id } = await params;
  const access = await requireAccountForRoute(appid, { role: "viewer" });
  if (access instanceof Response) return access;
  if (!UUID.test(id)) return notFound();
  const media = await readMediaBytes(getPool(), access.account.id, id);
  if (!media) return notFound();
  const type = media.contentType.split(";")[0]!.trim();
  return new Response(new Uint8Array(media.bytes), {
    headers: {
      "content-type": INLINE.test(type) ? type : "application/octet-stream",
      "content-disposition": INLINE.test(type) ? "inline" : `attachment; filename="${media.filename.replace(/[^\w.-]/g, "_")}"`,
      "cache-control": "private, max-age=86400",
      "x-content-type-options": "nosniff",
    },
  });
}
