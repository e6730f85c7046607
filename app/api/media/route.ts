import { isAppError } from "@/lib/app-error";
import { requireAccountForRoute } from "@/lib/auth/require-user";
import { getPool } from "@/lib/db";
import { log } from "@/lib/log";
import { MEDIA_LIMITS, mediaProblem, putMedia } from "@/lib/media/put-media";
import type { MediaKind } from "@/lib/media/types";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /api/media?account=<AppID>, multipart `kind` + `file`: the rule editor's upload, put on
// WeChat as permanent material (and kept). A route rather than a server action, because a video
// may be 10 MB and server actions stop at 1 MB. For the account's admins only.
//
// The session is a cookie, so a page on another site could make a browser post a form here: a
// request must come from the console's own origin, as Next checks for its server actions.

const KINDS = new Set<MediaKind>(["image", "voice", "video", "thumb"]);
const MAX_BODY = MEDIA_LIMITS.video.maxBytes + 64 * 1024;
const NO_STORE = { "cache-control": "no-store" };

const answer = (status: number, body: object) => Response.json(body, { status, headers: NO_STORE });

function sameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return !!host && new URL(origin).host === host.split(",")[0]!.trim();
  } catch {
    return false;
  }
}

export async function POST(request: Request): Promise<Response> {
  const access = await requireAccountForRoute(new URL(request.url).searchParams.get("account"), { role: "admin" });
  if (access instanceof Response) return access;
  if (!sameOrigin(request)) return answer(403, { error: "forbidden" });
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY) return answer(413, { error: "invalid_media", reason: "too_large" });
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return answer(400, { error: "invalid_input" });
  }
  const kind = form.get("kind");
  const file = form.get("file");
  if (typeof kind !== "string" || !KINDS.has(kind as MediaKind) || !(file instanceof File)) return answer(400, { error: "invalid_input" });
  const bytes = Buffer.from(await file.arrayBuffer());
  const media = { kind: kind as MediaKind, filename: file.name || "upload", contentType: file.type || "application/octet-stream", bytes };
  const problem = mediaProblem(media);
  if (problem) return answer(400, { error: "invalid_media", reason: problem });
  try {
    const stored = await putMedia(getPool(), access.account.id, media, { permanent: true, userId: access.user.id });
    log.info("media.uploaded", { account: access.account.id, kind: stored.kind, bytes: stored.byteSize, by: access.user.id });
    return answer(200, { id: stored.id, mediaId: stored.mediaId, kind: stored.kind, filename: stored.filename });
  } catch (err) {
    if (isAppError(err, "WECHAT_API")) return answer(502, { error: "wechat_error", errcode: err.details.errcode, errmsg: err.details.errmsg });
    log.warn("media.upload_failed", { account: access.account.id, kind, error: (err as Error).message });
    return answer(502, { error: "upload_failed" });
  }
}
