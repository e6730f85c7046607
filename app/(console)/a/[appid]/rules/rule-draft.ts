import type { RuleReply } from "@/lib/replies/rule-fields";
import { DEFAULT_COOLDOWN_S, type KeywordMatch, type ReplyMode, type Trigger } from "@/lib/replies/rule-kinds";

// A rule as the editor holds it, shared by the editor (client) and its page (server), which
// fills it from the stored rule.

export type RuleDraft = {
  name: string;
  trigger: Trigger;
  keywords: Array<{ match: KeywordMatch; pattern: string }>;
  eventKey: string;
  enabled: boolean;
  replyMode: ReplyMode;
  window: { start: string; end: string } | null;
  cooldownSeconds: number;
  replies: RuleReply[];
};

export const EMPTY_RULE: RuleDraft = {
  name: "",
  trigger: "keyword",
  keywords: [{ match: "equal", pattern: "" }],
  eventKey: "",
  enabled: true,
  replyMode: "one",
  window: null,
  cooldownSeconds: DEFAULT_COOLDOWN_S,
  replies: [{ type: "text", content: "" }],
};
