"use server";

import { signOut } from "@/lib/auth/auth";
import { requireUser } from "@/lib/auth/require-user";

export async function signOutAction(): Promise<void> {
  await requireUser();
  await signOut({ redirectTo: "/login" });
}
