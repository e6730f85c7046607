import type { AnswerPlan } from "../messages/inbound-row";
import { contentGrams } from "../messages/search-grams";
import type { RuleReply } from "../replies/rule-fields";
import type { PassiveReply } from "../wechat/reply";
import { shownColumns } from "./outbound-queries";
import { customMessageOfPassive, customMessageOfRule } from "./reply-message";

// What a message is answered with, decided before it is stored and stored with it: the passive
// reply becomes an outbound row beside the message, and reply-all's other replies become
// customer-service sends queued once the message is stored. Kept in the row, so a message that
// goes to the spool (database down) still has its whole answer when it is replayed.

export type Answer = { reply: PassiveReply; ruleId: string | null; deferred: RuleReply[] };

export function planAnswer(answer: Answer, follower: string): AnswerPlan {
  const body = customMessageOfPassive(answer.reply, follower);
  const shown = body ? shownColumns(body) : null;
  return {
    ruleId: answer.ruleId,
    passive:
      body && shown ? { msgType: body.msgtype, ...shown, contentGrams: shown.content === null ? null : contentGrams(shown.content), body: { ...body } } : null,
    deferred: answer.deferred.map((r) => customMessageOfRule(r, follower)),
  };
}
