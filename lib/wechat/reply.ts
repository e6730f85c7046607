import { encryptMessage } from "./crypto";
import { computeSignature } from "./signature";
import { buildXml, type XmlBuildTree } from "./xml";

export type PassiveReply =
  | { type: "text"; content: string }
  | { type: "image"; mediaId: string }
  | { type: "voice"; mediaId: string }
  | { type: "video"; mediaId: string; title?: string; description?: string }
  | {
      type: "music";
      title?: string;
      description?: string;
      musicUrl?: string;
      hqMusicUrl?: string;
      thumbMediaId: string;
    }
  | { type: "news"; articles: Array<{ title: string; description?: string; picUrl?: string; url?: string }> }
  | { type: "transfer_customer_service"; kfAccount?: string };

export const MAX_NEWS_ARTICLES = 8;

// A millisecond timestamp here is a classic bug; WeChat wants seconds.
const MAX_SECONDS = 99_999_999_999;

/**
 * Builds the XML for a passive reply (the HTTP response to a message).
 *
 * Addresses are swapped relative to the inbound message: pass the inbound
 * FromUserName (the user's OpenID) as `toUser` and the inbound ToUserName
 * (the account's gh_… id) as `fromUser`. `createTime` is in seconds.
 *
 * News: WeChat allows 8 articles, but only 1 when answering a user's
 * text/image/voice/video/link/location message. Only 0 or more than 8 is a
 * RangeError here, because replies to events (e.g. subscribe) may use 8.
 */
export function buildReplyXml(reply: PassiveReply, to: { toUser: string; fromUser: string; createTime?: number }): string {
  const createTime = to.createTime ?? Math.floor(Date.now() / 1000);
  if (!Number.isInteger(createTime) || createTime < 0 || createTime > MAX_SECONDS) {
    throw new RangeError(`createTime must be whole seconds since the epoch, got ${createTime}`);
  }
  return buildXml({
    ToUserName: to.toUser,
    FromUserName: to.fromUser,
    CreateTime: createTime,
    MsgType: reply.type,
    ...replyBody(reply),
  });
}

/**
 * Wraps a reply for compatible/safe mode. Use the key that decrypted the
 * request (keyIndex) and echo the request's nonce; the signature covers this
 * reply's own timestamp and nonce. `success` / empty replies are sent as-is,
 * not through here.
 */
export function buildEncryptedReply(
  replyXml: string,
  p: {
    key: Buffer;
    appId: string;
    token: string;
    nonce: string;
    timestamp?: number;
    random16?: Buffer | string;
  },
): string {
  const timestamp = p.timestamp ?? Math.floor(Date.now() / 1000);
  if (!Number.isInteger(timestamp) || timestamp < 0 || timestamp > MAX_SECONDS) {
    throw new RangeError(`timestamp must be whole seconds since the epoch, got ${timestamp}`);
  }
  const encrypt = encryptMessage(replyXml, p.key, p.appId, p.random16);
  return buildXml({
    Encrypt: encrypt,
    MsgSignature: computeSignature(p.token, String(timestamp), p.nonce, encrypt),
    TimeStamp: timestamp,
    Nonce: p.nonce,
  });
}

function replyBody(reply: PassiveReply): XmlBuildTree {
  switch (reply.type) {
    case "text":
      return { Content: reply.content };
    case "image":
      return { Image: { MediaId: reply.mediaId } };
    case "voice":
      return { Voice: { MediaId: reply.mediaId } };
    case "video":
      // Official SDKs always send Title and Description, empty when unset.
      return {
        Video: { MediaId: reply.mediaId, Title: reply.title ?? "", Description: reply.description ?? "" },
      };
    case "music":
      return {
        Music: {
          Title: reply.title ?? "",
          Description: reply.description ?? "",
          MusicUrl: reply.musicUrl ?? "",
          // Clients prefer HQMusicUrl on Wi-Fi; an empty one would play nothing there.
          HQMusicUrl: reply.hqMusicUrl ?? reply.musicUrl ?? "",
          ThumbMediaId: reply.thumbMediaId,
        },
      };
    case "news": {
      const count = reply.articles.length;
      if (count < 1 || count > MAX_NEWS_ARTICLES) {
        throw new RangeError(`a news reply needs 1-${MAX_NEWS_ARTICLES} articles, got ${count}`);
      }
      return {
        ArticleCount: count,
        Articles: {
          item: reply.articles.map((a) => ({
            Title: a.title,
            Description: a.description ?? "",
            PicUrl: a.picUrl ?? "",
            Url: a.url ?? "",
          })),
        },
      };
    }
    case "transfer_customer_service":
      // Without TransInfo WeChat hands the chat to any available agent.
      return reply.kfAccount === undefined ? {} : { TransInfo: { KfAccount: reply.kfAccount } };
    default: {
      const unknown: never = reply;
      throw new TypeError(`unknown reply type ${(unknown as { type: string }).type}`);
    }
  }
}
