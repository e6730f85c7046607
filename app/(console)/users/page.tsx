import type { Metadata } from "next";
import { Callout } from "@/components/ui/callout";
import { PageHeader } from "@/components/ui/page-header";
import { listAccountRefs, listMemberships } from "@/lib/auth/account-members";
import { listUsers } from "@/lib/auth/manage-users";
import { requireUser } from "@/lib/auth/require-user";
import { getPrisma } from "@/lib/db";
import { formatDateTime } from "@/lib/i18n";
import { getI18n } from "@/lib/i18n/server";
import { UsersManager } from "./users-manager";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const user = await requireUser();
  const { t, locale, tz } = await getI18n();
  if (user.role !== "admin") {
    return (
      <>
        <PageHeader title={t.users.title} />
        <Callout tone="warning">{t.common.forbidden}</Callout>
      </>
    );
  }
  const prisma = getPrisma();
  const [users, memberships, accounts] = await Promise.all([listUsers(prisma), listMemberships(prisma), listAccountRefs(prisma)]);
  return (
    <>
      <PageHeader title={t.users.title} description={t.users.subtitle} />
      <UsersManager
        t={{ u: t.users, common: t.common }}
        currentUserId={user.id}
        accounts={accounts}
        users={users.map((u) => ({
          id: u.id,
          email: u.email,
          role: u.role,
          access: Object.fromEntries(memberships.get(u.id) ?? []),
          created: formatDateTime(u.createdAt, locale, tz),
        }))}
      />
    </>
  );
}
