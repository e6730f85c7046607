import pg from "pg";

// LISTEN for some channels on a dedicated connection that reconnects when it is lost. After a
// (re)connect `onConnect` runs again, so the caller can catch up on what it missed meanwhile.
//
// The accounts, the reply rules and the token service each listen; they share one connection per
// database in a process, so an instance holds one listening connection, not one per directory.
// The hub's steps (connect, add, remove) run one at a time, so a LISTEN is never issued on a
// connection that is half set up or being replaced.

export type DbListener = { close(): Promise<void> };

type Subscriber = {
  channels: string[];
  onNotification: (channel: string, payload: string | undefined) => void;
  onConnect?: () => void | Promise<void>;
};

type Hub = {
  subscribers: Set<Subscriber>;
  client: pg.Client | null;
  listening: Set<string>;
  retry: NodeJS.Timeout | null;
  steps: Promise<void>;
};

export const LISTENER_APP_NAME = "mpdesk-listener";
const RECONNECT_MS = 2_000;
const hubs = new Map<string, Hub>();

export async function listenForNotifications(opts: { connectionString: string } & Subscriber): Promise<DbListener> {
  const key = opts.connectionString;
  const h = hubs.get(key) ?? { subscribers: new Set(), client: null, listening: new Set(), retry: null, steps: Promise.resolve() };
  hubs.set(key, h);
  const sub: Subscriber = { channels: opts.channels, onNotification: opts.onNotification, onConnect: opts.onConnect };
  await step(h, async () => {
    h.subscribers.add(sub);
    const c = h.client;
    // A failed LISTEN means the connection is going: its end reconnects, and LISTENs for all.
    if (c) await listenOn(h, c, sub).catch(() => c.end().catch(() => {}));
    else if (!h.retry) await connect(key, h);
  });
  let closed = false;
  return {
    async close() {
      if (closed) return;
      closed = true;
      await step(h, async () => {
        h.subscribers.delete(sub);
        if (h.subscribers.size) return;
        hubs.delete(key);
        if (h.retry) clearTimeout(h.retry);
        h.retry = null;
        const c = h.client;
        h.client = null;
        await c?.end().catch(() => {});
      });
    },
  };
}

function step(h: Hub, fn: () => Promise<void>): Promise<void> {
  const run = h.steps.then(fn);
  h.steps = run.catch(() => {});
  return run;
}

async function connect(key: string, h: Hub): Promise<void> {
  // Named, so an operator can tell it apart in pg_stat_activity.
  const c = new pg.Client({ connectionString: key, connectionTimeoutMillis: 2_000, application_name: LISTENER_APP_NAME });
  c.on("notification", (n) => {
    for (const s of h.subscribers) if (s.channels.includes(n.channel)) s.onNotification(n.channel, n.payload);
  });
  c.on("error", () => c.end().catch(() => {}));
  c.on("end", () => {
    if (h.client !== c) return;
    h.client = null;
    scheduleReconnect(key, h);
  });
  try {
    await c.connect();
    h.listening = new Set();
    h.client = c;
    for (const s of h.subscribers) await listenOn(h, c, s);
  } catch {
    if (h.client === c) h.client = null;
    c.end().catch(() => {});
    scheduleReconnect(key, h);
  }
}

/** LISTENs on the channels `s` adds, then lets it catch up. */
async function listenOn(h: Hub, c: pg.Client, s: Subscriber): Promise<void> {
  for (const channel of s.channels) {
    if (h.listening.has(channel)) continue;
    await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    h.listening.add(channel);
  }
  await Promise.resolve(s.onConnect?.()).catch(() => {});
}

function scheduleReconnect(key: string, h: Hub): void {
  if (!h.subscribers.size || h.retry || hubs.get(key) !== h) return;
  h.retry = setTimeout(() => {
    h.retry = null;
    void step(h, () => (h.client || hubs.get(key) !== h ? Promise.resolve() : connect(key, h)));
  }, RECONNECT_MS).unref();
}
