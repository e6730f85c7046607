import { ZAccountType, type TAccountType } from "@/lib/accounts/account-fields";
import { fmt, type Dictionary } from "@/lib/i18n";

// What the credentials step's two pages (an account's settings, and a new account) give the form alike.

/** The form's texts, from the reader's dictionary. */
export function credentialsStepText(t: Dictionary) {
  return {
    common: t.common,
    c: t.setup.credentials,
    readOnly: t.setup.viewerNotice,
    next: fmt(t.common.nextStep, { step: t.setup.steps.api }),
    name: t.accounts.name,
  };
}

/** Step 1's choice, which travels in the URL (?type=…&certified=1) until this step saves it; else `fallback`. */
export function kindFromQuery(
  query: Record<string, string | string[] | undefined>,
  fallback: { accountType: TAccountType; certified: boolean },
): { accountType: TAccountType; certified: boolean } {
  const type = ZAccountType.safeParse(query.type);
  return {
    accountType: type.success ? type.data : fallback.accountType,
    certified: query.certified !== undefined ? query.certified === "1" : fallback.certified,
  };
}
