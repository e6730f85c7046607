import pg from "pg";
import { decryptLegacySecret, encryptSecret, isLegacyEnvelope, type SecretCell } from "./secrets";

// Envelopes written before they carried AAD (v1) are re-encrypted bound to their cell (v2), once,
// by `npm start` right after the migrations and before the app serves. Done at start rather than
// lazily on read: the hot paths (the callback's account cache, the token cache) stay read-only,
// every v1 envelope is gone after one start instead of lingering in rows nobody reads, and
// ordinary reads can then refuse v1 outright. Each row is updated only if it still holds the
// envelope that was read, so two instances starting together cannot overwrite a newer value.

const CELLS: Array<{ cell: SecretCell; table: string; column: string; id: string }> = [
  { cell: "account.app_secret", table: "account", column: "app_secret_enc", id: "id" },
  { cell: "account.encoding_aes_key", table: "account", column: "encoding_aes_key_enc", id: "id" },
  { cell: "account.previous_encoding_aes_key", table: "account", column: "previous_encoding_aes_key_enc", id: "id" },
  { cell: "access_token.token", table: "access_token", column: "token_enc", id: "account_id" },
];

export type UpgradeReport = { upgraded: number; failed: Array<{ cell: SecretCell; id: string }> };

export async function upgradeSecretEnvelopes(databaseUrl: string, key: Buffer): Promise<UpgradeReport> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const report: UpgradeReport = { upgraded: 0, failed: [] };
  try {
    for (const { cell, table, column, id } of CELLS) {
      const { rows } = await client.query<{ id: string; envelope: string }>(
        `SELECT ${id}::text AS id, ${column} AS envelope FROM ${table} WHERE ${column} LIKE 'v1:%'`,
      );
      for (const row of rows) {
        if (!isLegacyEnvelope(row.envelope)) continue;
        let plaintext: string;
        try {
          plaintext = decryptLegacySecret(row.envelope, key);
        } catch {
          // Another key wrote it: left as it is, and reported; reads of it fail as they did before.
          report.failed.push({ cell, id: row.id });
          continue;
        }
        const { rowCount } = await client.query(`UPDATE ${table} SET ${column} = $1 WHERE ${id} = $2 AND ${column} = $3`, [
          encryptSecret(plaintext, key, cell, row.id),
          row.id,
          row.envelope,
        ]);
        report.upgraded += rowCount ?? 0;
      }
    }
    return report;
  } finally {
    await client.end();
  }
}
