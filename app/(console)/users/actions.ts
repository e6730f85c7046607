"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { changeUserRole, createUser, removeUser, resetUserPassword, ZNewUser } from "@/lib/auth/manage-users";
import { requireAdminForAction } from "@/lib/auth/require-user";
import { getPrisma } from "@/lib/db";
import { fmt } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { log } from "@/lib/log";

export type UsersState = { ok: boolean; message: string; errors?: { email?: string; password?: string }; secret?: { email: string; password: string } } | null;

const ZUserId = z.uuid();

export async function addUser(_prev: UsersState, formData: FormData): Promise<UsersState> {
  const { t } = await getI18n();
  const admin = await requireAdminForAction();
  if (!admin) return { ok: false, message: t.common.forbidden };
  const u = t.users;
  const parsed = ZNewUser.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const fields = new Set(parsed.error.issues.map((i) => String(i.path[0])));
    return { ok: false, message: t.setup.credentials.errors.form, errors: { email: fields.has("email") ? u.errors.email : undefined, password: fields.has("password") ? u.errors.password : undefined } };
  }
  const result = await createUser(getPrisma(), parsed.data);
  if (!result.ok) return { ok: false, message: u.errors.taken, errors: { email: u.errors.taken } };
  log.info("user.created", { by: admin.id, role: parsed.data.role });
  revalidatePath("/users");
  return {
    ok: true,
    message: fmt(u.added, { email: result.email }),
    secret: result.generatedPassword ? { email: result.email, password: result.generatedPassword } : undefined,
  };
}

export async function updateUser(_prev: UsersState, formData: FormData): Promise<UsersState> {
  const { t } = await getI18n();
  const admin = await requireAdminForAction();
  if (!admin) return { ok: false, message: t.common.forbidden };
  const u = t.users;
  const id = ZUserId.safeParse(formData.get("userId"));
  if (!id.success) return { ok: false, message: u.errors.notFound };
  const intent = formData.get("intent");
  const prisma = getPrisma();
  if (intent === "role") {
    const role = z.enum(["admin", "viewer"]).safeParse(formData.get("role"));
    if (!role.success) return { ok: false, message: t.common.error };
    const r = await changeUserRole(prisma, id.data, role.data);
    revalidatePath("/users");
    return r.ok ? { ok: true, message: fmt(u.roleChanged, { email: r.email, role: t.nav.roles[role.data] }) } : { ok: false, message: u.errors[r.reason as "lastAdmin" | "notFound"] };
  }
  if (intent === "reset") {
    const r = await resetUserPassword(prisma, id.data);
    if (!r.ok) return { ok: false, message: u.errors.notFound };
    log.info("user.password_reset", { by: admin.id, user: id.data });
    return { ok: true, message: fmt(u.newPassword, { email: r.email }), secret: { email: r.email, password: r.password } };
  }
  if (intent === "remove") {
    const r = await removeUser(prisma, id.data, admin.id);
    revalidatePath("/users");
    if (!r.ok) return { ok: false, message: u.errors[r.reason as "lastAdmin" | "self" | "notFound"] };
    log.info("user.removed", { by: admin.id, user: id.data });
    return { ok: true, message: fmt(u.removed, { email: r.email }) };
  }
  return { ok: false, message: t.common.error };
}
