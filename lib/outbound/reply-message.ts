import type { RuleReply } from "../replies/rule-fields";
import { toPassiveReply } from "../replies/compile-rules";
import type { PassiveReply } from "../wechat/reply";
import type { CustomMessage } from "./types";

// A rule's reply as message/custom/send's body: the same content WeChat would draw from the
// passive XML, in the JSON shape of the customer-service API. Media are the permanent material
// the rule references; WeChat takes the same media_id in both.

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ""));

/** null for a reply with no customer-service equivalent (transfer_customer_service hands the chat over, it says nothing). */
export function customMessageOfPassive(reply: PassiveReply, touser: string): CustomMessage | null {
  switch (reply.type) {
    case "text":
      return { touser, msgtype: "text", text: { content: reply.content } };
    case "image":
      return { touser, msgtype: "image", image: { media_id: reply.mediaId } };
    case "voice":
      return { touser, msgtype: "voice", voice: { media_id: reply.mediaId } };
    case "video":
      return { touser, msgtype: "video", video: defined({ media_id: reply.mediaId, title: reply.title, description: reply.description }) };
    case "music":
      return {
        touser,
        msgtype: "music",
        music: defined({
          title: reply.title,
          description: reply.description,
          musicurl: reply.musicUrl,
          hqmusicurl: reply.hqMusicUrl,
          thumb_media_id: reply.thumbMediaId,
        }),
      };
    case "news": {
      // custom/send takes one article, as a passive reply to a message does.
      const a = reply.articles[0]!;
      return { touser, msgtype: "news", news: { articles: [defined({ title: a.title, description: a.description, url: a.url, picurl: a.picUrl })] } };
    }
    case "transfer_customer_service":
      return null;
  }
}

export function customMessageOfRule(reply: RuleReply, touser: string): CustomMessage {
  return customMessageOfPassive(toPassiveReply(reply), touser)!;
}
