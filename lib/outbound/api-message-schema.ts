import { z } from "zod";
import type { CustomMessage } from "./types";

// The body of POST /api/messages: WeChat's message/custom/send shape, one schema per msgtype as
// WeChat documents its fields, plus an optional "account" (the AppID). The top level is strict so
// a misspelt field is named in the 400 instead of being dropped; fields WeChat does not know
// inside a msgtype's object are dropped before the body is sent.

const id = z.string().trim().min(1).max(256);
const url = z
  .string()
  .trim()
  .max(2048)
  .pipe(z.url({ protocol: /^https?$/ }));
const text = z.string().max(4096);

const PARTS = {
  text: z.object({ content: z.string().min(1).max(4096) }),
  image: z.object({ media_id: id }),
  voice: z.object({ media_id: id }),
  video: z.object({ media_id: id, thumb_media_id: id, title: text.optional(), description: text.optional() }),
  music: z.object({ title: text.optional(), description: text.optional(), musicurl: url, hqmusicurl: url, thumb_media_id: id }),
  // WeChat sends one article per custom news message (图文消息条数限制在1条以内).
  news: z.object({
    articles: z.array(z.object({ title: z.string().min(1).max(256), description: text.optional(), url: url.optional(), picurl: url.optional() })).length(1),
  }),
  msgmenu: z.object({
    head_content: text.optional(),
    list: z
      .array(z.object({ id: z.string().min(1).max(256), content: z.string().min(1).max(1024) }))
      .min(1)
      .max(10),
    tail_content: text.optional(),
  }),
  mpnewsarticle: z.object({ article_id: id }),
  miniprogrampage: z.object({ title: z.string().min(1).max(256), appid: id, pagepath: z.string().min(1).max(1024), thumb_media_id: id }),
} as const;

const common = {
  account: z.string().trim().min(1).max(64).optional(),
  // OpenIDs are 28 characters of base64url today; the bound leaves room without accepting junk.
  touser: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "an OpenID is 1–64 letters, digits, _ or -"),
  customservice: z.object({ kf_account: z.string().min(1).max(128) }).optional(),
};

function variant<K extends keyof typeof PARTS>(msgtype: K) {
  return z.strictObject({ ...common, msgtype: z.literal(msgtype), [msgtype]: PARTS[msgtype] } as typeof common & {
    msgtype: z.ZodLiteral<K>;
  } & Record<K, (typeof PARTS)[K]>);
}

export const ZApiMessage = z.discriminatedUnion("msgtype", [
  variant("text"),
  variant("image"),
  variant("voice"),
  variant("video"),
  variant("music"),
  variant("news"),
  variant("msgmenu"),
  variant("mpnewsarticle"),
  variant("miniprogrampage"),
]);
export type TApiMessage = z.infer<typeof ZApiMessage>;

export type BodyProblem = { field: string | null; message: string };

/** The message to send and the AppID it names, or the first problem with the field it is in. */
export function parseApiMessage(value: unknown): { ok: true; appId: string | null; message: CustomMessage } | ({ ok: false } & BodyProblem) {
  const parsed = ZApiMessage.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
    const path = [...issue.path, ...(keys.length === 1 ? keys : [])].map(String).join(".");
    const field = path || (keys.length ? keys.join(", ") : null);
    const what = issue.code === "unrecognized_keys" ? `unknown field${keys.length > 1 ? "s" : ""} (not part of message/custom/send)` : issue.message;
    return { ok: false, field, message: field ? `${field}: ${what}` : what };
  }
  const { account, ...message } = parsed.data;
  return { ok: true, appId: account ?? null, message: message as CustomMessage };
}
