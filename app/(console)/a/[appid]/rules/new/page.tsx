import type { Metadata } from "next";
import { requireAccount } from "@/lib/auth/require-user";
import { RuleEditorPage } from "../rule-editor-page";

export const metadata: Metadata = { title: "New reply rule" };

export default async function NewRulePage({ params }: { params: Promise<{ appid: string }> }) {
  return <RuleEditorPage access={await requireAccount((await params).appid)} rule={null} />;
}
