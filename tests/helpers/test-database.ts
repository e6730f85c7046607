import { randomBytes } from "node:crypto";
import pg from "pg";
import { applyMigrations } from "../../lib/apply-migrations";

// Each test file gets a database of its own on the suite's PostgreSQL server.
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env.MPDESK_TEST_PG_URL;
  if (!admin) throw new Error("MPDESK_TEST_PG_URL is not set: run the suite with `npm test`");
  const name = `mpdesk_t_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
