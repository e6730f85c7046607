import pg from "pg";
import { rawQuery, sql } from "../db";
import { listenForNotifications, type DbListener } from "../db-listener";
import { createReloader } from "../reloader";
import { errorFields, log } from "../log";
import { decryptSecret, type SecretCell } from "../secrets";
import { parseEncodingAesKey } from "../wechat/crypto";
import type { TMessageMode } from "./account-fields";

// What the callback needs of each account, decrypted once and held in memory: the hot path
// never touches the database to verify a signature. Saving settings sends NOTIFY
// mpdesk_account_changed, which every instance LISTENs for; a periodic reload covers a lost
// listener. If the database is down the last known credentials keep serving, so messages can
// still be verified and spooled.

export type CallbackAccount = {
  id: string;
  appId: string;
  token: string;
  mode: TMessageMode;
  /** Current EncodingAESKey first, then the previous one during rotation. */
  aesKeys: Buffer[];
};

const RELOAD_MS = 30_000;

export function createAccountDirectory(opts: { pool: pg.Pool; connectionString: string; encryptionKey: Buffer }) {
  // Indexed by AppID: with dozens of accounts, each callback finds its own in one lookup.
  type Snapshot = { accounts: CallbackAccount[]; byAppId: Map<string, CallbackAccount>; loadedAt: number };
  let snapshot: Snapshot | null = null;
  let listener: DbListener | null = null;
  let listening = false;

  // An envelope that does not decrypt (another key, or copied from another row or column) costs
  // only its own account its key; the other accounts keep loading.
  function open(envelope: string | null, cell: SecretCell, accountId: string): string | null {
    if (!envelope) return null;
    try {
      return decryptSecret(envelope, opts.encryptionKey, cell, accountId);
    } catch (err) {
      log.error("accounts.secret_unreadable", { account: accountId, cell, ...errorFields(err) });
      return null;
    }
  }

  async function load(): Promise<Snapshot> {
    const rows = await rawQuery<{
      id: string;
      app_id: string;
      token: string;
      message_mode: TMessageMode;
      encoding_aes_key_enc: string | null;
      previous_encoding_aes_key_enc: string | null;
    }>(
      opts.pool,
      // Raw, beside Prisma's account settings: read once per change into every instance's directory,
      // on the process that answers the callback.
      sql`SELECT id, app_id, token, message_mode, encoding_aes_key_enc, previous_encoding_aes_key_enc FROM account ORDER BY created_at, id`,
    );
    const accounts = rows.map((r) => ({
      id: r.id,
      appId: r.app_id,
      token: r.token,
      mode: r.message_mode,
      aesKeys: [
        open(r.encoding_aes_key_enc, "account.encoding_aes_key", r.id),
        open(r.previous_encoding_aes_key_enc, "account.previous_encoding_aes_key", r.id),
      ]
        .filter((v): v is string => !!v)
        .map(parseEncodingAesKey),
    }));
    snapshot = { accounts, byAppId: new Map(accounts.map((a) => [a.appId, a])), loadedAt: Date.now() };
    return snapshot;
  }

  const { reload } = createReloader(load);

  async function current(): Promise<Snapshot> {
    if (!snapshot) return reload();
    if (Date.now() - snapshot.loadedAt > RELOAD_MS) {
      reload().catch((err) => log.warn("accounts.reload_failed", errorFields(err)));
    }
    return snapshot;
  }

  /** The account a callback is for: the AppID of its URL when given, else the default (oldest) account. */
  async function resolve(appId?: string | null): Promise<CallbackAccount | null> {
    const s = await current();
    if (appId) return s.byAppId.get(appId) ?? null;
    return s.accounts[0] ?? null;
  }

  async function listen(): Promise<void> {
    if (listening) return;
    listening = true;
    listener = await listenForNotifications({
      connectionString: opts.connectionString,
      channels: ["mpdesk_account_changed"],
      onNotification: () => void reload().catch((err) => log.warn("accounts.reload_failed", errorFields(err))),
      onConnect: () => reload().then(() => {}), // changes made while we were not listening
    });
  }

  async function close(): Promise<void> {
    listening = false;
    await listener?.close();
  }

  return { resolve, reload: () => reload().then((s) => s.accounts), listen, close };
}

export type AccountDirectory = ReturnType<typeof createAccountDirectory>;
