import type { InboundRow } from "../messages/inbound-row";
import type { PassiveReply } from "../wechat/reply";
import { normalizeForMatch } from "./normalize-text";
import { compileRe2, freeRe2, type Re2 } from "./re2";
import type { ReplyRule, RuleReply } from "./rule-fields";
import { DEFAULT_TIME_ZONE, isInWindow, isValidTimeZone, minuteOfDay } from "./time-window";

// An account's enabled rules, compiled once per change into lookups the callback can afford on
// every message: equal keywords and event keys are Map lookups, contain keywords a short scan,
// and the regexes are first tried as one RE2 alternation, so a text that matches none of them
// costs one linear pass however many there are.

type Entry<T> = { order: number; rule: ReplyRule; test: T };

export type CompiledRules = {
  timeZone: string;
  welcome: ReplyRule[];
  defaults: ReplyRule[];
  click: Map<string, ReplyRule[]>;
  scan: Map<string, ReplyRule[]>;
  equal: Map<string, Array<Entry<null>>>;
  contain: Array<Entry<string>>;
  regex: Array<Entry<Re2>>;
  /** Every regex in one: false means none can match. Null when they do not combine (duplicate group names). */
  anyRegex: Re2 | null;
};

/** Explicit priority, lower first; ties by name, so the order never depends on how rows came back. */
export function sortRules<R extends ReplyRule>(rules: R[]): R[] {
  return [...rules].sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * `regexCache` keeps compiled patterns across reloads (pattern → RE2), so reloading unchanged
 * rules compiles nothing; pass the same map to every call, and call `releaseUnused` after.
 */
export function compileRules(rules: ReplyRule[], timeZone: string, regexCache: Map<string, Re2> = new Map()): CompiledRules {
  // A zone the runtime does not know (written by hand into the table) must not fail every message.
  if (!isValidTimeZone(timeZone)) timeZone = DEFAULT_TIME_ZONE;
  const c: CompiledRules = { timeZone, welcome: [], defaults: [], click: new Map(), scan: new Map(), equal: new Map(), contain: [], regex: [], anyRegex: null };
  const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => (map.get(key) ?? map.set(key, []).get(key)!).push(value);
  sortRules(rules.filter((r) => r.enabled)).forEach((rule, order) => {
    switch (rule.trigger) {
      case "welcome":
        return void c.welcome.push(rule);
      case "default":
        return void c.defaults.push(rule);
      case "click":
        return void push(c.click, rule.eventKey!, rule);
      case "scan":
        return void push(c.scan, rule.eventKey!, rule);
      case "keyword":
        for (const k of rule.keywords) {
          if (k.match === "equal") push(c.equal, normalizeForMatch(k.pattern), { order, rule, test: null });
          else if (k.match === "contain") c.contain.push({ order, rule, test: normalizeForMatch(k.pattern) });
          else {
            let re = regexCache.get(k.pattern);
            if (!re) {
              try {
                re = compileRe2(k.pattern);
              } catch {
                continue; // refused when saved; one that slipped in anyway never matches
              }
              regexCache.set(k.pattern, re);
            }
            c.regex.push({ order, rule, test: re });
          }
        }
    }
  });
  if (c.regex.length > 1) {
    const combined = [...new Set(c.regex.map((e) => e.test.source))].map((s) => `(?:${s})`).join("|");
    const key = `\u0000any:${combined}`;
    let any = regexCache.get(key);
    if (!any) {
      try {
        any = compileRe2(combined);
        regexCache.set(key, any);
      } catch {
        any = undefined;
      }
    }
    c.anyRegex = any ?? null;
  }
  return c;
}

/** Frees the compiled patterns no snapshot uses any more. */
export function releaseUnused(regexCache: Map<string, Re2>, inUse: Iterable<CompiledRules>): void {
  const used = new Set<Re2>();
  for (const c of inUse) {
    for (const e of c.regex) used.add(e.test);
    if (c.anyRegex) used.add(c.anyRegex);
  }
  for (const [key, re] of regexCache) {
    if (!used.has(re)) {
      regexCache.delete(key);
      freeRe2(re);
    }
  }
}

export type RuleMatch = { rule: ReplyRule; kind: "welcome" | "keyword" | "click" | "scan" | "default" };

/**
 * The rule that answers a message, before any cooldown: welcome for a subscribe (a scan rule
 * first when it came through a parametric QR code, `qrscene_<scene>`), scan rules for SCAN,
 * click rules for CLICK, keyword rules for a text and, when none matched, the first default rule.
 * Rules outside their time window are passed over, so the next one may answer.
 */
export function matchRule(c: CompiledRules, row: Pick<InboundRow, "msgType" | "event" | "eventKey" | "content">, now: Date): RuleMatch | null {
  let minute: number | null = null;
  const open = (rule: ReplyRule) => !rule.window || isInWindow(rule.window, (minute ??= minuteOfDay(now, c.timeZone)));
  const first = (rules: ReplyRule[] | undefined) => rules?.find(open);
  const msgType = row.msgType.toLowerCase();
  if (msgType === "event") {
    const event = row.event?.toLowerCase();
    const key = row.eventKey ?? "";
    let rule: ReplyRule | undefined;
    if (event === "subscribe") {
      const scanned = key.startsWith("qrscene_") ? first(c.scan.get(key.slice("qrscene_".length))) : undefined;
      if (scanned) return { rule: scanned, kind: "scan" };
      rule = first(c.welcome);
      return rule ? { rule, kind: "welcome" } : null;
    }
    if (event === "scan") rule = first(c.scan.get(key));
    else if (event === "click") rule = first(c.click.get(key));
    return rule ? { rule, kind: event as "scan" | "click" } : null;
  }
  if (msgType !== "text" || row.content === null) return null;
  const text = normalizeForMatch(row.content);
  let best: Entry<unknown> | null = null;
  for (const e of c.equal.get(text) ?? []) {
    if (open(e.rule)) {
      best = e;
      break;
    }
  }
  for (const e of c.contain) {
    if (best && e.order >= best.order) break;
    if (text.includes(e.test) && open(e.rule)) best = e;
  }
  if (c.regex.length && (!best || c.regex[0]!.order < best.order) && (!c.anyRegex || c.anyRegex.test(text))) {
    for (const e of c.regex) {
      if (best && e.order >= best.order) break;
      if (e.test.test(text) && open(e.rule)) best = e;
    }
  }
  if (best) return { rule: best.rule, kind: "keyword" };
  const fallback = first(c.defaults);
  return fallback ? { rule: fallback, kind: "default" } : null;
}

export type ReplyChoice = {
  /** What goes back in the callback's answer. */
  passive: RuleReply;
  /** reply mode "all": the replies after the first, for the customer-service API. Not sent yet: deferred sends come in a later step. */
  deferred: RuleReply[];
};

/** "random" is random per message but the same for its retries: the choice hashes the message's dedupe key. */
export function chooseReplies(rule: ReplyRule, dedupeKey: string): ReplyChoice {
  const replies = rule.replies;
  if (rule.replyMode === "random" && replies.length > 1) return { passive: replies[fnv1a(dedupeKey) % replies.length]!, deferred: [] };
  if (rule.replyMode === "all") return { passive: replies[0]!, deferred: replies.slice(1) };
  return { passive: replies[0]!, deferred: [] };
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function toPassiveReply(r: RuleReply): PassiveReply {
  switch (r.type) {
    case "news":
      return { type: "news", articles: [r.article] };
    default:
      return r;
  }
}
