import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../lib/generated/prisma/client";
import { importRuleSet, type ImportSummary } from "../../lib/replies/rule-set-io";
import { ZRuleSetFile } from "../../lib/replies/rule-fields";

// Gives an account reply rules as `rules import` does (same validation, same transaction and
// NOTIFY), from a process that is not the CLI: the benchmark, tests that need many rules.

export async function importReplyRules(databaseUrl: string, appId: string, file: unknown): Promise<ImportSummary> {
  const parsed = ZRuleSetFile.parse(file);
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  try {
    const account = await prisma.account.findUniqueOrThrow({ where: { appId }, select: { id: true } });
    return await importRuleSet(prisma, account.id, parsed);
  } finally {
    await prisma.$disconnect();
  }
}

/** The benchmark's rule set: `equal` + `contain` + `regex` keyword rules, none matching "bench message <n>". */
export function benchRuleSet(counts = { equal: 100, contain: 50, regex: 50 }) {
  const rules: unknown[] = [];
  const add = (match: string, pattern: string) =>
    rules.push({
      name: `${match} ${rules.length}`,
      trigger: "keyword",
      priority: rules.length,
      keywords: [{ match, pattern }],
      replies: [{ type: "text", content: `reply ${rules.length}` }],
    });
  for (let i = 0; i < counts.equal; i++) add("equal", `keyword ${i}`);
  for (let i = 0; i < counts.contain; i++) add("contain", `phrase ${i}`);
  for (let i = 0; i < counts.regex; i++) add("regex", `(order|订单)[-# ]?${i}\\d{3,}`);
  return { version: 1, rules };
}
