import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import pg from "pg";
import { LISTENER_APP_NAME, listenForNotifications } from "../../lib/db-listener";
import { eventually } from "../helpers/eventually";
import { createTestDatabase } from "../helpers/test-database";

// The process's listeners share one connection per database: each gets its own channels only,
// each catches up after the connection is lost, and the last to close ends it.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: pg.Client;

before(async () => {
  db = await createTestDatabase();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});
after(async () => {
  await sql?.end();
  await db?.drop();
});

const listenerBackends = async () =>
  (
    await sql.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`, [LISTENER_APP_NAME])
  ).rows.map((r) => r.pid);

function recorder() {
  const got: string[] = [];
  let connects = 0;
  return {
    got,
    connects: () => connects,
    onNotification: (channel: string, payload: string | undefined) => void got.push(`${channel}:${payload ?? ""}`),
    onConnect: () => void connects++,
  };
}

test("two listeners share one connection, each hears its own channels, and both catch up after it is lost", async () => {
  const a = recorder();
  const b = recorder();
  const la = await listenForNotifications({ connectionString: db.url, channels: ["chan_a", "chan_both"], ...a });
  const lb = await listenForNotifications({ connectionString: db.url, channels: ["chan_b", "chan_both"], ...b });
  assert.equal(a.connects(), 1);
  assert.equal(b.connects(), 1);
  const [pid] = await listenerBackends();
  assert.equal((await listenerBackends()).length, 1, "one listening connection for both");

  await sql.query(`NOTIFY chan_a, '1'`);
  await sql.query(`NOTIFY chan_b, '2'`);
  await sql.query(`NOTIFY chan_both, '3'`);
  await eventually(() => a.got.length === 2 && b.got.length === 2, { what: "the notifications" });
  assert.deepEqual(a.got, ["chan_a:1", "chan_both:3"]);
  assert.deepEqual(b.got, ["chan_b:2", "chan_both:3"]);

  // The connection dies: it comes back, LISTENs again for both, and each catches up once more.
  await sql.query(`SELECT pg_terminate_backend($1)`, [pid]);
  await eventually(() => a.connects() === 2 && b.connects() === 2, { timeoutMs: 15_000, what: "the reconnect" });
  const after = await listenerBackends();
  assert.equal(after.length, 1);
  assert.notEqual(after[0], pid);
  await sql.query(`NOTIFY chan_b, '4'`);
  await eventually(() => b.got.includes("chan_b:4"), { what: "a notification after the reconnect" });
  assert.equal(a.got.length, 2, "a did not hear b's channel");

  // The first to close leaves the connection to the other; the last ends it.
  await la.close();
  await sql.query(`NOTIFY chan_both, '5'`);
  await eventually(() => b.got.includes("chan_both:5"), { what: "b still listening" });
  assert.equal(a.got.length, 2, "a closed listener hears nothing");
  await lb.close();
  await eventually(async () => (await listenerBackends()).length === 0, { what: "the connection to end" });
});

test("a listener added while the connection is being replaced is listening once it is back", async () => {
  const a = recorder();
  const la = await listenForNotifications({ connectionString: db.url, channels: ["chan_a"], ...a });
  const [pid] = await listenerBackends();
  await sql.query(`SELECT pg_terminate_backend($1)`, [pid]);
  const c = recorder();
  const lc = await listenForNotifications({ connectionString: db.url, channels: ["chan_c"], ...c });
  await eventually(() => c.connects() >= 1 && a.connects() === 2, { timeoutMs: 15_000, what: "both connected" });
  await eventually(
    async () => {
      await sql.query(`NOTIFY chan_c, 'late'`);
      return c.got.includes("chan_c:late");
    },
    { what: "the late listener hearing its channel", intervalMs: 200 },
  );
  assert.equal((await listenerBackends()).length, 1);
  await la.close();
  await lc.close();
});
