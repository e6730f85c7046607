import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireAccount } from "@/lib/auth/require-user";
import { getPrisma } from "@/lib/db";
import { findAccountRule } from "@/lib/replies/rule-set-io";
import { RuleEditorPage } from "../rule-editor-page";

export const metadata: Metadata = { title: "Reply rule" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function RulePage({ params }: { params: Promise<{ appid: string; id: string }> }) {
  const { appid, id } = await params;
  const access = await requireAccount(appid);
  // A rule of another account is not confirmed to exist.
  const rule = UUID.test(id) ? await findAccountRule(getPrisma(), access.account.id, id) : null;
  if (!rule) notFound();
  return <RuleEditorPage access={access} rule={rule} />;
}
