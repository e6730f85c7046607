import { cookies } from "next/headers";
import { getPrisma } from "../db";
import { getEnv } from "../env";
import { decryptSecret, maskSecret, type SecretCell } from "../secrets";
import type { TAccountType, TMessageMode } from "./account-fields";

// The account the console is looking at, as the browser may see it: AppSecret and
// EncodingAESKey only ever leave the server masked (••••1234).

export const ACCOUNT_COOKIE = "mpdesk_account";

export type ConsoleAccount = {
  id: string;
  appId: string;
  token: string;
  messageMode: TMessageMode;
  accountType: TAccountType;
  certified: boolean;
  appSecretMask: string | null;
  encodingAesKeyMask: string | null;
  hasPreviousEncodingAesKey: boolean;
  /** The callback serves the first account when the URL names none. */
  isDefault: boolean;
};

const mask = (envelope: string | null, cell: SecretCell, accountId: string): string | null => {
  if (!envelope) return null;
  try {
    return maskSecret(decryptSecret(envelope, getEnv().encryptionKey, cell, accountId));
  } catch {
    return "••••";
  }
};

export async function listConsoleAccounts(): Promise<ConsoleAccount[]> {
  const rows = await getPrisma().account.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map((r, i) => ({
    id: r.id,
    appId: r.appId,
    token: r.token,
    messageMode: r.messageMode,
    accountType: r.accountType,
    certified: r.certified,
    appSecretMask: mask(r.appSecretEnc, "account.app_secret", r.id),
    encodingAesKeyMask: mask(r.encodingAesKeyEnc, "account.encoding_aes_key", r.id),
    hasPreviousEncodingAesKey: !!r.previousEncodingAesKeyEnc,
    isDefault: i === 0,
  }));
}

/** The account chosen in the header (a cookie holding its AppID), else the default one. */
export async function getConsoleAccount(): Promise<{ account: ConsoleAccount | null; accounts: ConsoleAccount[] }> {
  const accounts = await listConsoleAccounts();
  const chosen = (await cookies()).get(ACCOUNT_COOKIE)?.value;
  return { account: accounts.find((a) => a.appId === chosen) ?? accounts[0] ?? null, accounts };
}
