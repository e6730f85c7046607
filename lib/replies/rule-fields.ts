import { z } from "zod";
import { re2Error } from "./re2";
import { DEFAULT_COOLDOWN_S, KEYWORD_MATCHES, REPLY_MODES, TRIGGERS } from "./rule-kinds";
import { formatClock, isValidTimeZone, parseClock, type TimeWindow } from "./time-window";

// One shape for a reply rule, in the file `rules export` writes and `rules import` reads (and, next,
// in the console's forms): zod validates it, and an error's path names the field to fix.

export { DEFAULT_COOLDOWN_S, KEYWORD_MATCHES, REPLY_MODES, TRIGGERS, type KeywordMatch, type ReplyMode, type Trigger } from "./rule-kinds";

export const RULE_SET_VERSION = 1;
// Above the platform's own limits (200 rules, 10 keywords of 30 characters, 5 replies), so what
// the platform held always fits; below what would make one rule set a burden to load.
export const LIMITS = { rules: 1000, keywords: 20, pattern: 256, replies: 5, text: 2000, name: 64, eventKey: 128, cooldownS: 30 * 86_400 } as const;

const media = z.string().trim().min(1).max(256);
const optional = (max: number) => z.string().max(max).optional();
const url = z
  .url({ protocol: /^https?$/ })
  .max(1024)
  .optional();

export const ZRuleReply = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("text"), content: z.string().min(1).max(LIMITS.text) }),
  z.strictObject({ type: z.literal("image"), mediaId: media }),
  z.strictObject({ type: z.literal("voice"), mediaId: media }),
  z.strictObject({ type: z.literal("video"), mediaId: media, title: optional(64), description: optional(LIMITS.text) }),
  z.strictObject({
    type: z.literal("music"),
    title: optional(64),
    description: optional(LIMITS.text),
    musicUrl: url,
    hqMusicUrl: url,
    thumbMediaId: media,
  }),
  // WeChat answers a follower's message with at most one article.
  z.strictObject({
    type: z.literal("news"),
    article: z.strictObject({ title: z.string().min(1).max(64), description: optional(LIMITS.text), picUrl: url, url: url }),
  }),
]);
export type RuleReply = z.infer<typeof ZRuleReply>;

const ZKeyword = z.strictObject({
  match: z.enum(KEYWORD_MATCHES),
  pattern: z.string().trim().min(1).max(LIMITS.pattern),
});

const clock = z.string().refine((s) => parseClock(s) !== null, { message: 'a time of day as "HH:MM", 00:00 to 23:59' });

export const ZRuleInput = z
  .strictObject({
    name: z.string().trim().min(1).max(LIMITS.name),
    trigger: z.enum(TRIGGERS),
    keywords: z.array(ZKeyword).max(LIMITS.keywords).default([]),
    eventKey: z.string().trim().min(1).max(LIMITS.eventKey).nullable().default(null),
    enabled: z.boolean().default(true),
    priority: z.int().min(0).max(1_000_000).default(0),
    window: z
      .strictObject({ start: clock, end: clock })
      .refine((w) => w.start !== w.end, { message: "start and end are the same time: leave the window out to answer all day" })
      .nullable()
      .default(null),
    replyMode: z.enum(REPLY_MODES).default("one"),
    cooldownSeconds: z.int().min(0).max(LIMITS.cooldownS).default(DEFAULT_COOLDOWN_S),
    replies: z.array(ZRuleReply).min(1).max(LIMITS.replies),
  })
  .superRefine((rule, ctx) => {
    if (rule.trigger === "keyword" && !rule.keywords.length) ctx.addIssue({ code: "custom", path: ["keywords"], message: "a keyword rule needs a keyword" });
    if (rule.trigger !== "keyword" && rule.keywords.length) {
      ctx.addIssue({ code: "custom", path: ["keywords"], message: `a ${rule.trigger} rule has no keywords` });
    }
    const keyed = rule.trigger === "click" || rule.trigger === "scan";
    if (keyed && !rule.eventKey) {
      ctx.addIssue({
        code: "custom",
        path: ["eventKey"],
        message: rule.trigger === "click" ? "the menu button's key is needed" : "the QR code's scene is needed",
      });
    }
    if (!keyed && rule.eventKey) ctx.addIssue({ code: "custom", path: ["eventKey"], message: `a ${rule.trigger} rule has no eventKey` });
    rule.keywords.forEach((k, i) => {
      if (k.match !== "regex") return;
      const error = re2Error(k.pattern);
      if (error) ctx.addIssue({ code: "custom", path: ["keywords", i, "pattern"], message: `not a valid RE2 regex: ${error}` });
    });
  });
export type TRuleInput = z.infer<typeof ZRuleInput>;

export const ZRuleSetFile = z
  .strictObject({
    version: z.literal(RULE_SET_VERSION),
    account: z.string().optional(),
    timeZone: z.string().refine(isValidTimeZone, { message: "not an IANA time zone, such as Asia/Shanghai" }).optional(),
    rules: z.array(ZRuleInput).max(LIMITS.rules),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.rules.forEach((r, i) => {
      if (seen.has(r.name)) ctx.addIssue({ code: "custom", path: ["rules", i, "name"], message: `another rule is already named "${r.name}"` });
      seen.add(r.name);
    });
  });
export type TRuleSetFile = z.infer<typeof ZRuleSetFile>;

/** A rule as stored and as the engine sees it. */
export type ReplyRule = Omit<TRuleInput, "window"> & { id: string; window: TimeWindow | null };

export function windowFromInput(w: TRuleInput["window"]): TimeWindow | null {
  return w ? { startMin: parseClock(w.start)!, endMin: parseClock(w.end)! } : null;
}

export function windowToInput(w: TimeWindow | null): TRuleInput["window"] {
  return w ? { start: formatClock(w.startMin), end: formatClock(w.endMin) } : null;
}

/** `rules[2].keywords[0].pattern`: where a zod issue is, written as one would in the file. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, p) => (typeof p === "number" ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p)), "");
}
