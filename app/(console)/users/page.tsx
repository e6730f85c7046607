import type { Metadata } from "next";
import { Callout } from "@/components/ui/callout";
import { PageHeader } from "@/components/ui/page-header";
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
  const users = await listUsers(getPrisma());
  return (
    <>
      <PageHeader title={t.users.title} description={t.users.subtitle} />
      <UsersManager
        t={{ u: t.users, roles: t.nav.roles, common: t.common }}
        currentUserId={user.id}
        users={users.map((u) => ({ id: u.id, email: u.email, role: u.role, created: formatDateTime(u.createdAt, locale, tz) }))}
      />
    </>
  );
}
