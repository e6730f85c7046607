import type { RuleReply } from "./rule-fields";

// A reply as the columns of reply_message hold it (camelCase, as Prisma and the snapshot's
// json_build_object both name them), and back.

export type ReplyColumns = {
  type: RuleReply["type"];
  content: string | null;
  mediaId: string | null;
  title: string | null;
  description: string | null;
  url: string | null;
  picUrl: string | null;
  musicUrl: string | null;
  hqMusicUrl: string | null;
  thumbMediaId: string | null;
};

const some = <K extends string>(key: K, v: string | null): Partial<Record<K, string>> => (v === null ? {} : ({ [key]: v } as Record<K, string>));

export function replyFromColumns(c: ReplyColumns): RuleReply {
  switch (c.type) {
    case "text":
      return { type: "text", content: c.content ?? "" };
    case "image":
    case "voice":
      return { type: c.type, mediaId: c.mediaId ?? "" };
    case "video":
      return { type: "video", mediaId: c.mediaId ?? "", ...some("title", c.title), ...some("description", c.description) };
    case "music":
      return {
        type: "music",
        ...some("title", c.title),
        ...some("description", c.description),
        ...some("musicUrl", c.musicUrl),
        ...some("hqMusicUrl", c.hqMusicUrl),
        thumbMediaId: c.thumbMediaId ?? "",
      };
    case "news":
      return { type: "news", article: { title: c.title ?? "", ...some("description", c.description), ...some("picUrl", c.picUrl), ...some("url", c.url) } };
  }
  throw new TypeError(`unknown reply type ${String((c as { type: unknown }).type)}`);
}

export function replyToColumns(r: RuleReply): ReplyColumns {
  const none: ReplyColumns = {
    type: r.type,
    content: null,
    mediaId: null,
    title: null,
    description: null,
    url: null,
    picUrl: null,
    musicUrl: null,
    hqMusicUrl: null,
    thumbMediaId: null,
  };
  switch (r.type) {
    case "text":
      return { ...none, content: r.content };
    case "image":
    case "voice":
      return { ...none, mediaId: r.mediaId };
    case "video":
      return { ...none, mediaId: r.mediaId, title: r.title ?? null, description: r.description ?? null };
    case "music":
      return {
        ...none,
        title: r.title ?? null,
        description: r.description ?? null,
        musicUrl: r.musicUrl ?? null,
        hqMusicUrl: r.hqMusicUrl ?? null,
        thumbMediaId: r.thumbMediaId,
      };
    case "news":
      return { ...none, title: r.article.title, description: r.article.description ?? null, url: r.article.url ?? null, picUrl: r.article.picUrl ?? null };
  }
}
