import type { MockWeChatApi } from "../mock-wechat-api";
import type { installMediaApis } from "./media";

// get_current_autoreply_info over the mock: the auto-replies set in the MP admin's editor, in
// WeChat's exact JSON shape, per app. A test sets what the platform holds; image, voice and video
// replies are temporary media seeded in the media mock, as the platform hands them out (they
// expire 3 days after the rule was saved).

export const AUTOREPLY_PATH = "/cgi-bin/get_current_autoreply_info";

export type MockArticle = {
  title: string;
  author?: string;
  digest?: string;
  show_cover?: 0 | 1;
  cover_url?: string;
  content_url?: string;
  source_url?: string;
};
export type MockReplyItem =
  { type: "text" | "img" | "voice" | "video"; content: string } | { type: "news"; content?: string; news_info: { list: MockArticle[] } };
export type MockKeywordRule = {
  rule_name: string;
  create_time: number;
  reply_mode: "reply_all" | "random_one";
  keyword_list_info: Array<{ type: "text"; match_mode: "contain" | "equal"; content: string }>;
  reply_list_info: MockReplyItem[];
};
export type MockAutoreply = {
  is_add_friend_reply_open: 0 | 1;
  is_autoreply_open: 0 | 1;
  add_friend_autoreply_info?: { type: "text" | "img" | "voice" | "video"; content: string };
  message_default_autoreply_info?: { type: "text" | "img" | "voice" | "video"; content: string };
  keyword_autoreply_info?: { list: MockKeywordRule[] };
};

// What an account that never set an auto-reply gets: both switches, nothing else.
const NOTHING_SET: MockAutoreply = { is_add_friend_reply_open: 0, is_autoreply_open: 0 };

export function installAutoreply(mock: MockWeChatApi, media: ReturnType<typeof installMediaApis>) {
  const byApp = new Map<string, MockAutoreply>();
  mock.route(AUTOREPLY_PATH, (call) => structuredClone(byApp.get(call.appId) ?? NOTHING_SET));
  return {
    /** What the MP admin holds for this app from now on. */
    set(appId: string, autoreply: MockAutoreply) {
      byApp.set(appId, structuredClone(autoreply));
    },
    /** A file as the editor stores it for a reply: temporary media, whose media_id goes in `content`. */
    seedMedia(appId: string, type: "image" | "voice" | "video", bytes: Buffer, contentType: string, filename?: string): string {
      return media.seedTemporary(appId, { type, bytes, contentType, filename });
    },
  };
}
