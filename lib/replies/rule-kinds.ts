// The words a rule is made of, without the schema (which brings RE2 along): client components
// import these to draw the editor.

export const TRIGGERS = ["welcome", "keyword", "click", "scan", "default"] as const;
export const KEYWORD_MATCHES = ["equal", "contain", "regex"] as const;
export const REPLY_MODES = ["one", "random", "all"] as const;
export type Trigger = (typeof TRIGGERS)[number];
export type KeywordMatch = (typeof KEYWORD_MATCHES)[number];
export type ReplyMode = (typeof REPLY_MODES)[number];

/** The platform's: a default reply answers one follower at most once an hour. */
export const DEFAULT_COOLDOWN_S = 3600;
