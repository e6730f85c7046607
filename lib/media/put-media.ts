import { createHash } from "node:crypto";
import { AppError } from "../app-error";
import { getEnv } from "../env";
import type { Queryable } from "../db";
import { callWeChatApi } from "../tokens/call-wechat-api";
import type { MediaBytes } from "../wechat/api-client";
import { findMediaByOrigin, insertMedia } from "./media-queries";
import type { MediaFile, MediaKind, StoredMedia } from "./types";

// Puts a file on WeChat and keeps a copy: permanent material (material/add_material) for reply
// rules, or temporary media (media/upload, 3 days) for a customer-service message. WeChat's
// limits are checked first, so a file it would refuse never leaves mpdesk.

/** WeChat's limits per kind. Images: the documentation says 10 MB in places and 2 MB in others; 2 MB is safe everywhere. */
export const MEDIA_LIMITS: Record<MediaKind, { maxBytes: number; extensions: readonly string[] }> = {
  image: { maxBytes: 2 * 1024 * 1024, extensions: ["jpg", "jpeg", "png", "gif", "bmp"] },
  voice: { maxBytes: 2 * 1024 * 1024, extensions: ["amr", "mp3"] },
  video: { maxBytes: 10 * 1024 * 1024, extensions: ["mp4"] },
  thumb: { maxBytes: 64 * 1024, extensions: ["jpg", "jpeg"] },
};

const TEMPORARY_MS = 3 * 24 * 3600_000;

/** The reason a file cannot go to WeChat as this kind, or null. */
export function mediaProblem(file: Pick<MediaFile, "kind" | "filename" | "bytes">): "empty" | "too_large" | "bad_type" | null {
  const limit = MEDIA_LIMITS[file.kind];
  if (file.bytes.length === 0) return "empty";
  if (file.bytes.length > limit.maxBytes) return "too_large";
  const ext = /\.([a-z0-9]+)$/i.exec(file.filename)?.[1]?.toLowerCase() ?? "";
  return limit.extensions.includes(ext) ? null : "bad_type";
}

export type PutMediaOptions = {
  permanent: boolean;
  /** Where the file came from (an import's temporary media_id): putting the same origin again returns the first copy. */
  originKey?: string;
  userId?: string;
};

export async function putMedia(db: Queryable, accountId: string, file: MediaFile, opts: PutMediaOptions): Promise<StoredMedia> {
  if (opts.originKey) {
    const known = await findMediaByOrigin(db, accountId, opts.originKey);
    if (known) return known;
  }
  const problem = mediaProblem(file);
  if (problem) {
    const { maxBytes, extensions } = MEDIA_LIMITS[file.kind];
    throw new AppError("INVALID_INPUT", {
      reason: `media_${problem}`,
      message: `${file.filename}: a ${file.kind} must be ${extensions.join("/")} of at most ${Math.round(maxBytes / 1024)} KB`,
    });
  }
  const form = new FormData();
  form.set("media", new Blob([new Uint8Array(file.bytes)], { type: file.contentType }), file.filename);
  if (opts.permanent && file.kind === "video") {
    form.set("description", JSON.stringify({ title: file.title ?? file.filename, introduction: file.introduction ?? "" }));
  }
  const path = opts.permanent ? "/cgi-bin/material/add_material" : "/cgi-bin/media/upload";
  const answer = await callWeChatApi<{ media_id?: string; url?: string }>(accountId, { method: "POST", path, query: { type: file.kind }, body: form });
  if (typeof answer.media_id !== "string" || !answer.media_id) throw new AppError("WECHAT_NETWORK", { message: `${path} answered no media_id` });
  return insertMedia(db, {
    accountId,
    kind: file.kind,
    permanent: opts.permanent,
    mediaId: answer.media_id,
    url: typeof answer.url === "string" ? answer.url : null,
    filename: file.filename,
    contentType: file.contentType,
    byteSize: file.bytes.length,
    sha256: createHash("sha256").update(file.bytes).digest("hex"),
    bytes: file.bytes,
    title: file.title ?? null,
    introduction: file.introduction ?? null,
    originKey: opts.originKey ?? null,
    createdByUserId: opts.userId ?? null,
    expiresAt: opts.permanent ? null : new Date(Date.now() + TEMPORARY_MS),
  });
}

const EXTENSION_OF: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/gif": "gif",
  "image/bmp": "bmp",
  "audio/amr": "amr",
  "audio/mpeg": "mp3",
  "video/mp4": "mp4",
};

/**
 * A temporary media_id (as get_current_autoreply_info and get_current_selfmenu_info hand them
 * out) downloaded with media/get and put back as permanent material, once: importing again
 * returns the same asset. A video's media/get answer is a URL, fetched in turn.
 */
export async function rehostTemporaryMedia(
  db: Queryable,
  accountId: string,
  tempMediaId: string,
  kind: MediaKind,
  opts: { userId?: string } = {},
): Promise<StoredMedia> {
  const originKey = `wechat:${tempMediaId}`;
  const known = await findMediaByOrigin(db, accountId, originKey);
  if (known) return known;
  const got = await callWeChatApi<MediaBytes | { video_url?: string }>(accountId, {
    method: "GET",
    path: "/cgi-bin/media/get",
    query: { media_id: tempMediaId },
    binary: true,
  });
  let file: MediaBytes;
  if ("bytes" in got) file = got;
  else if (typeof got.video_url === "string") file = await download(got.video_url);
  else throw new AppError("WECHAT_NETWORK", { message: "media/get answered neither a file nor a video_url" });
  const ext = EXTENSION_OF[file.contentType.split(";")[0]!.trim().toLowerCase()] ?? (kind === "video" ? "mp4" : kind === "voice" ? "amr" : "jpg");
  // WeChat's file name may carry no extension, or one its own upload refuses (.bin).
  const base = (file.filename ?? tempMediaId.slice(0, 16)).replace(/\.[a-z0-9]+$/i, "");
  const given = /\.([a-z0-9]+)$/i.exec(file.filename ?? "")?.[1]?.toLowerCase();
  const filename = `${base}.${given && MEDIA_LIMITS[kind].extensions.includes(given) ? given : ext}`;
  return putMedia(db, accountId, { kind, filename, contentType: file.contentType, bytes: file.bytes }, { permanent: true, originKey, userId: opts.userId });
}

async function download(url: string): Promise<MediaBytes> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(getEnv().MPDESK_WECHAT_TIMEOUT_MS * 4) });
  } catch (err) {
    throw new AppError("WECHAT_NETWORK", { message: `the video at media/get's video_url could not be downloaded (${(err as Error).message})` });
  }
  if (!response.ok) throw new AppError("WECHAT_NETWORK", { message: `the video at media/get's video_url answered HTTP ${response.status}` });
  return { bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get("content-type") ?? "video/mp4", filename: null };
}
