"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { setMemberAccess } from "@/lib/auth/account-members";
import { changeUserRole, createUser, removeUser, resetUserPassword, ZNewUser } from "@/lib/auth/manage-users";
import { adminAction, type FormState } from "@/lib/auth/server-action";
import { getPrisma } from "@/lib/db";
import { fmt } from "@/lib/i18n";
import { log } from "@/lib/log";

export type UsersState = FormState<"email" | "password", { secret: { email: string; password: string } }>;

export const addUser = adminAction(
  {
    schema: ZNewUser,
    invalid: (t) => t.setup.credentials.errors.form,
    fields: ({ users: u }) => ({ email: u.errors.email, password: u.errors.password }),
  },
  async ({ user, data, t }): Promise<UsersState> => {
    const u = t.users;
    const result = await createUser(getPrisma(), data);
    if (!result.ok) return { ok: false, message: u.errors.taken, errors: { email: u.errors.taken } };
    log.info("user.created", { by: user.id, role: data.role });
    revalidatePath("/users");
    return {
      ok: true,
      message: fmt(u.added, { email: result.email }),
      secret: result.generatedPassword ? { email: result.email, password: result.generatedPassword } : undefined,
    };
  },
);

// One form per row; the button pressed names the intent.
const ZUserChange = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("role"), userId: z.uuid(), role: z.enum(["admin", "viewer"]) }),
  z.object({ intent: z.literal("reset"), userId: z.uuid() }),
  z.object({ intent: z.literal("remove"), userId: z.uuid() }),
]);

export const updateUser = adminAction(
  { schema: ZUserChange, invalid: (t, fields) => (fields.has("userId") ? t.users.errors.notFound : t.common.error) },
  async ({ user: admin, data, t }): Promise<UsersState> => {
    const u = t.users;
    const prisma = getPrisma();
    if (data.intent === "role") {
      const r = await changeUserRole(prisma, data.userId, data.role);
      revalidatePath("/users");
      return r.ok
        ? { ok: true, message: fmt(u.roleChanged, { email: r.email, role: u.kinds[data.role] }) }
        : { ok: false, message: u.errors[r.reason as "lastAdmin" | "notFound"] };
    }
    if (data.intent === "reset") {
      const r = await resetUserPassword(prisma, data.userId);
      if (!r.ok) return { ok: false, message: u.errors.notFound };
      log.info("user.password_reset", { by: admin.id, user: data.userId });
      return { ok: true, message: fmt(u.newPassword, { email: r.email }), secret: { email: r.email, password: r.password } };
    }
    const r = await removeUser(prisma, data.userId, admin.id);
    revalidatePath("/users");
    if (!r.ok) return { ok: false, message: u.errors[r.reason as "lastAdmin" | "self" | "notFound"] };
    log.info("user.removed", { by: admin.id, user: data.userId });
    return { ok: true, message: fmt(u.removed, { email: r.email }) };
  },
);

// A member's role per account, one select per account named `account:<account id>`.
const ZAccessChange = z.object({ userId: z.uuid() }).catchall(z.unknown());
const ZGrant = z.enum(["admin", "viewer", "none"]);
const ACCOUNT_FIELD = /^account:([0-9a-f-]{36})$/;

export const updateAccess = adminAction(
  { schema: ZAccessChange, invalid: (t) => t.users.errors.notFound },
  async ({ user: admin, data, t }): Promise<UsersState> => {
    const u = t.users;
    const roles = new Map<string, z.infer<typeof ZGrant>>();
    for (const [field, value] of Object.entries(data)) {
      const accountId = ACCOUNT_FIELD.exec(field)?.[1];
      if (!accountId) continue;
      const role = ZGrant.safeParse(value);
      if (!role.success) return { ok: false, message: t.common.error };
      roles.set(accountId, role.data);
    }
    const r = await setMemberAccess(getPrisma(), data.userId, roles);
    revalidatePath("/", "layout");
    if (!r.ok) return { ok: false, message: u.errors[r.reason] };
    log.info("user.access_changed", { by: admin.id, user: data.userId, accounts: roles.size });
    return { ok: true, message: fmt(u.accessSaved, { email: r.email }) };
  },
);
