import { getPrisma } from "../db";
import { getEnv } from "../env";
import { decryptSecret, maskSecret, type SecretCell } from "../secrets";
import type { TAccountType, TMessageMode } from "./account-fields";

// The account the console is looking at, as the browser may see it: AppSecret, Token and
// EncodingAESKey only ever leave the server masked (••••1234). The Token forges plaintext
// messages and the EncodingAESKey decrypts them, so their full values come only from
// getAccountSecret(), which callers reach after checking that the user is an admin.

export type ConsoleAccount = {
  id: string;
  appId: string;
  /** The name people gave it (客服号), or null: show the AppID alone. */
  displayName: string | null;
  tokenMask: string;
  messageMode: TMessageMode;
  accountType: TAccountType;
  certified: boolean;
  appSecretMask: string | null;
  encodingAesKeyMask: string | null;
  hasPreviousEncodingAesKey: boolean;
  /** The callback serves the first account when the URL names none. */
  isDefault: boolean;
};

type SecretColumn = "appSecretEnc" | "encodingAesKeyEnc";
const CELL: Record<SecretColumn, SecretCell> = { appSecretEnc: "account.app_secret", encodingAesKeyEnc: "account.encoding_aes_key" };

/** The one place the console opens an account's encrypted column. */
function openSecret(row: { id: string } & { [C in SecretColumn]: string | null }, column: SecretColumn): string | null {
  const envelope = row[column];
  return envelope ? decryptSecret(envelope, getEnv().encryptionKey, CELL[column], row.id) : null;
}

function maskColumn(row: { id: string } & { [C in SecretColumn]: string | null }, column: SecretColumn): string | null {
  if (!row[column]) return null;
  try {
    return maskSecret(openSecret(row, column)!);
  } catch {
    return "••••";
  }
}

type AccountRow = Awaited<ReturnType<ReturnType<typeof getPrisma>["account"]["findMany"]>>[number];

function toConsoleAccount(r: AccountRow, isDefault: boolean): ConsoleAccount {
  return {
    id: r.id,
    appId: r.appId,
    displayName: r.displayName,
    tokenMask: maskSecret(r.token),
    messageMode: r.messageMode,
    accountType: r.accountType,
    certified: r.certified,
    appSecretMask: maskColumn(r, "appSecretEnc"),
    encodingAesKeyMask: maskColumn(r, "encodingAesKeyEnc"),
    hasPreviousEncodingAesKey: !!r.previousEncodingAesKeyEnc,
    isDefault,
  };
}

/**
 * The accounts, oldest first (the first is the default one the callback serves at /api/wechat).
 * `only` keeps the accounts with these ids: those a user may see (lib/auth/account-access.ts).
 */
export async function listConsoleAccounts(only?: ReadonlySet<string> | ReadonlyMap<string, unknown>): Promise<ConsoleAccount[]> {
  const rows = await getPrisma().account.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.flatMap((r, i) => (only && !only.has(r.id) ? [] : [toConsoleAccount(r, i === 0)]));
}

export type AccountSecretField = "token" | "encodingAesKey";

/** One secret in full, or null when it is not set. For admins only: the caller checks the role. */
export async function getAccountSecret(accountId: string, field: AccountSecretField): Promise<string | null> {
  const row = await getPrisma().account.findUnique({
    where: { id: accountId },
    select: { id: true, token: true, appSecretEnc: true, encodingAesKeyEnc: true },
  });
  if (!row) return null;
  return field === "token" ? row.token : openSecret(row, "encodingAesKeyEnc");
}
