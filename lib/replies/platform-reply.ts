import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError, isAppError } from "../app-error";
import type { Queryable } from "../db";
import { getEnv } from "../env";
import { findMediaByOrigin } from "../media/media-queries";
import { putMedia, rehostTemporaryMedia } from "../media/put-media";
import type { MediaKind, StoredMedia } from "../media/types";
import { LIMITS, ZRuleReply, type RuleReply } from "./rule-fields";

// One reply as the MP admin's visual editor holds it — an item of get_current_autoreply_info's
// reply lists, or a get_current_selfmenu_info button's attached reply (its `value` read as
// `content`) — turned into a reply an mpdesk rule can send. The platform hands media out as
// temporary media_ids that die 3 days later, so they are re-hosted as permanent material here:
// a rule that kept the temporary id would break silently on the fourth day.

export type PlatformArticle = {
  title?: string;
  author?: string;
  digest?: string;
  show_cover?: number;
  cover_url?: string;
  content_url?: string;
  source_url?: string;
};

export type PlatformReplyItem = {
  type: string;
  content?: string;
  news_info?: { list?: PlatformArticle[] };
};

export type PlatformReplyResult =
  | {
      ok: true;
      reply: RuleReply;
      /** The permanent material the reply now points at (image, voice, video). */
      media?: StoredMedia;
      /** Titles of the articles after the first: a passive reply carries one article. */
      droppedArticles: string[];
    }
  | {
      ok: false;
      /** unsupported: a type mpdesk cannot send passively; empty: nothing to send; media_expired: WeChat no longer has the file. */
      reason: "unsupported" | "empty" | "media_expired";
      type: string;
    };

const KIND_OF: Record<string, Extract<MediaKind, "image" | "voice" | "video">> = { img: "image", image: "image", voice: "voice", video: "video" };

const httpUrl = z.url({ protocol: /^https?$/ }).max(1024);
const urlOrNothing = (s: string | undefined) => (s && httpUrl.safeParse(s).success ? { ok: s } : null);
const clip = (s: string, max: number) => [...s].slice(0, max).join("");

/**
 * Converts one platform reply item. Media are put on WeChat as permanent material (once per
 * temporary media_id); a WeChat error other than "this media is gone" is thrown, so an import
 * fails whole rather than saving rules with missing replies.
 */
export async function convertPlatformReply(
  db: Queryable,
  accountId: string,
  item: PlatformReplyItem,
  opts: { userId?: string } = {},
): Promise<PlatformReplyResult> {
  const type = String(item.type ?? "");
  const content = typeof item.content === "string" ? item.content : "";
  if (type === "text") {
    if (!content.trim()) return { ok: false, reason: "empty", type };
    return { ok: true, reply: { type: "text", content: clip(content, LIMITS.text) }, droppedArticles: [] };
  }
  if (type === "news") {
    const articles = (item.news_info?.list ?? []).filter((a) => (a.title ?? "").trim());
    const [first, ...rest] = articles;
    if (!first) return { ok: false, reason: "empty", type };
    const picUrl = urlOrNothing(first.cover_url);
    const url = urlOrNothing(first.content_url) ?? urlOrNothing(first.source_url);
    const reply: RuleReply = {
      type: "news",
      article: {
        title: clip(first.title!.trim(), 64),
        ...(first.digest ? { description: clip(first.digest, LIMITS.text) } : {}),
        ...(picUrl ? { picUrl: picUrl.ok } : {}),
        ...(url ? { url: url.ok } : {}),
      },
    };
    return { ok: true, reply: ZRuleReply.parse(reply), droppedArticles: rest.map((a) => a.title!.trim()) };
  }
  const kind = KIND_OF[type];
  if (!kind) return { ok: false, reason: "unsupported", type };
  if (!content.trim()) return { ok: false, reason: "empty", type };
  let media: StoredMedia;
  try {
    media =
      kind === "video" && /^https?:\/\//i.test(content)
        ? await rehostVideoUrl(db, accountId, content, opts)
        : await rehostTemporaryMedia(db, accountId, content.trim(), kind, opts);
  } catch (err) {
    if (isAppError(err, "WECHAT_API") && err.details.errcode === 40007) return { ok: false, reason: "media_expired", type };
    throw err;
  }
  const reply: RuleReply = kind === "video" ? { type: "video", mediaId: media.mediaId } : { type: kind, mediaId: media.mediaId };
  return { ok: true, reply, media, droppedArticles: [] };
}

/**
 * Some accounts' video replies come back as a download link rather than a media_id. Its query
 * string (a signed vkey) changes on every call, so the origin is the link without it: importing
 * again finds the first copy.
 */
async function rehostVideoUrl(db: Queryable, accountId: string, link: string, opts: { userId?: string }): Promise<StoredMedia> {
  const stable = link.split("?")[0]!;
  const originKey = `wechat:video:${createHash("sha256").update(stable).digest("hex").slice(0, 32)}`;
  const known = await findMediaByOrigin(db, accountId, originKey);
  if (known) return known;
  let response: Response;
  try {
    response = await fetch(link, { signal: AbortSignal.timeout(getEnv().MPDESK_WECHAT_TIMEOUT_MS * 4) });
  } catch (err) {
    throw new AppError("WECHAT_NETWORK", { message: `the platform's video link could not be downloaded (${(err as Error).message})` });
  }
  if (!response.ok) throw new AppError("WECHAT_NETWORK", { message: `the platform's video link answered HTTP ${response.status}` });
  const bytes = Buffer.from(await response.arrayBuffer());
  return putMedia(
    db,
    accountId,
    { kind: "video", filename: `${originKey.slice(13, 29)}.mp4`, contentType: "video/mp4", bytes },
    { permanent: true, originKey, ...opts },
  );
}
