import pg from "pg";

// A dedicated connection that LISTENs on some channels and reconnects when it is lost. After a
// reconnect `onConnect` runs again, so the caller can catch up on what it missed meanwhile.

export type DbListener = { close(): Promise<void> };

export async function listenForNotifications(opts: {
  connectionString: string;
  channels: string[];
  onNotification: (channel: string, payload: string | undefined) => void;
  onConnect?: () => void | Promise<void>;
}): Promise<DbListener> {
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  const scheduleReconnect = () => {
    client = null;
    if (!closed && !retry) retry = setTimeout(() => ((retry = null), void connect()), 2_000).unref();
  };
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: opts.connectionString, connectionTimeoutMillis: 2_000 });
    c.on("notification", (n) => opts.onNotification(n.channel, n.payload));
    c.on("error", () => c.end().catch(() => {}));
    c.on("end", scheduleReconnect);
    try {
      await c.connect();
      for (const channel of opts.channels) await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      client = c;
      await Promise.resolve(opts.onConnect?.()).catch(() => {});
    } catch {
      c.end().catch(() => {});
      scheduleReconnect();
    }
  };
  await connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
