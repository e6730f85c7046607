import { z } from "zod";
import type { Prisma } from "../db";
import { ZDisplayName } from "./account-fields";
import { notifyAccountChanged } from "./create-account";

// The name people give an account (客服号), shown beside its AppID wherever the console names it.
// Blank clears it: the AppID alone names the account again.

export const ZRenameForm = z.object({ displayName: z.preprocess((v) => v ?? "", ZDisplayName) });

/** Whether the account was there to rename. Every instance hears of it, as of any change to an account. */
export async function renameAccount(prisma: Prisma, accountId: string, displayName: string | undefined): Promise<boolean> {
  const { count } = await prisma.account.updateMany({ where: { id: accountId }, data: { displayName: displayName ?? null } });
  if (count) await notifyAccountChanged(prisma);
  return count === 1;
}
