import type { InboundRow } from "../messages/inbound-row";
import { chooseReplies, compileRules, matchRule, releaseUnused, type RuleMatch } from "./compile-rules";
import type { Re2 } from "./re2";
import type { ReplyRule, RuleReply } from "./rule-fields";

// "Which rule answers?": a message or an event put through the very compile and match code the
// callback runs, so the tester cannot disagree with it. It claims no cooldown (nothing is
// written): a default rule's cooldown is reported instead, for the reader to weigh.

export type RuleTestEvent =
  | { type: "text"; content: string }
  /** `scene`: a parametric QR code's scene (WeChat sends it as qrscene_<scene>), or null for a plain follow. */
  | { type: "subscribe"; scene: string | null }
  | { type: "scan"; scene: string }
  | { type: "click"; key: string };

export type RuleTestResult = {
  match: RuleMatch | null;
  /** What the follower gets: the reply for "one"; every candidate for "random"; all in order for "all". */
  replies: RuleReply[];
  /** A default rule answers a follower once per this many seconds; null when no cooldown applies. */
  cooldownSeconds: number | null;
};

/** The fields the callback matches on, as WeChat would send this message or event. */
export function inboundOf(event: RuleTestEvent): Pick<InboundRow, "msgType" | "event" | "eventKey" | "content"> {
  switch (event.type) {
    case "text":
      return { msgType: "text", event: null, eventKey: null, content: event.content };
    case "subscribe": {
      const scene = event.scene?.trim().replace(/^qrscene_/, "");
      return { msgType: "event", event: "subscribe", eventKey: scene ? `qrscene_${scene}` : null, content: null };
    }
    case "scan":
      return { msgType: "event", event: "SCAN", eventKey: event.scene.trim(), content: null };
    case "click":
      return { msgType: "event", event: "CLICK", eventKey: event.key.trim(), content: null };
  }
}

export function testRules(rules: ReplyRule[], timeZone: string, event: RuleTestEvent, now: Date): RuleTestResult {
  const cache = new Map<string, Re2>();
  try {
    const compiled = compileRules(rules, timeZone, cache);
    const match = matchRule(compiled, inboundOf(event), now);
    if (!match) return { match: null, replies: [], cooldownSeconds: null };
    const { rule } = match;
    const replies = rule.replyMode === "random" ? rule.replies : (({ passive, deferred }) => [passive, ...deferred])(chooseReplies(rule, "tester"));
    return { match, replies, cooldownSeconds: match.kind === "default" && rule.cooldownSeconds > 0 ? rule.cooldownSeconds : null };
  } finally {
    // The patterns live in the wasm heap: a page view must not leave them behind.
    releaseUnused(cache, []);
  }
}
