import { defineConfig } from "prisma/config";

// No env("DATABASE_URL") here: it throws when unset, which would break `prisma generate`
// on a fresh machine. The app itself never reads this file (it builds its own adapter).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/mpdesk" },
});
