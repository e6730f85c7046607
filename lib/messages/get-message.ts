import type { Queryable } from "../db";
import { selectMessage, type MessageDetail } from "./message-queries";

// One stored message with every column.

export type { MessageDetail } from "./message-queries";

export async function getMessage(db: Queryable, accountId: string, id: string): Promise<MessageDetail | null> {
  if (!/^\d{1,19}$/.test(id)) return null;
  return selectMessage(db, accountId, id);
}
