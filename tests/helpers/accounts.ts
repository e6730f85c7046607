import pg from "pg";
import { randomBytes, randomUUID } from "node:crypto";
import { encryptSecret } from "../../lib/secrets";
import { generateEncodingAesKey, generateToken } from "../../lib/wechat/crypto";
import type { SimAccount } from "./wechat-simulator";

export function newSimAccount(mode: SimAccount["mode"]): SimAccount & { encodingAesKey: string } {
  return { appId: `wx${randomBytes(8).toString("hex")}`, token: generateToken(32), encodingAesKey: generateEncodingAesKey(), mode, selectByAppId: true };
}

/** Inserts an account as the console would (secrets encrypted) and tells every instance. */
export async function insertAccount(
  databaseUrl: string,
  encryptionKeyBase64: string,
  a: SimAccount & { previousEncodingAesKey?: string; appSecret?: string; accountType?: "subscription" | "service"; certified?: boolean },
): Promise<string> {
  const key = Buffer.from(encryptionKeyBase64, "base64");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const id = randomUUID();
    await client.query(
      `INSERT INTO account (id, app_id, token, message_mode, encoding_aes_key_enc, previous_encoding_aes_key_enc, app_secret_enc, account_type, certified) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        id,
        a.appId,
        a.token,
        a.mode,
        a.encodingAesKey ? encryptSecret(a.encodingAesKey, key, "account.encoding_aes_key", id) : null,
        a.previousEncodingAesKey ? encryptSecret(a.previousEncodingAesKey, key, "account.previous_encoding_aes_key", id) : null,
        a.appSecret ? encryptSecret(a.appSecret, key, "account.app_secret", id) : null,
        a.accountType ?? "subscription",
        a.certified ?? false,
      ],
    );
    await client.query("NOTIFY mpdesk_account_changed");
    return id;
  } finally {
    await client.end();
  }
}
