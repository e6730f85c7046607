import type { Prisma } from "../db";

// A message's own account, by the message's id: a link to one message is checked against the
// account it belongs to, not against whichever account the viewer happens to be looking at.

/** The AppID of the account that received message `id`, or null when there is no such message. */
export async function messageAccountAppId(prisma: Prisma, id: string): Promise<string | null> {
  if (!/^\d{1,19}$/.test(id) || BigInt(id) > 9223372036854775807n) return null;
  const row = await prisma.message.findUnique({ where: { id: BigInt(id) }, select: { account: { select: { appId: true } } } });
  return row?.account.appId ?? null;
}
