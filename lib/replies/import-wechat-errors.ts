import { isAppError } from "../app-error";
import { fmt, type Dictionary } from "../i18n";
import { tokenErrorText } from "../tokens/describe-token-error";

// Why an import of the platform's auto-replies failed, in words a person acts on: what happened
// and the fix, in the reader's language. The console and the CLI say the same thing.

export type ImportFailure = { what: string; fix: string };

/** null for an error that is not about WeChat (a bug, the database): the caller lets it through. */
export function describeImportFailure(err: unknown, t: Dictionary): ImportFailure | null {
  const e = t.replyImport.errors;
  if (isAppError(err, "WECHAT_API")) {
    const { errcode, errmsg, path } = err.details;
    return { what: fmt(e.what, { errcode, path }), fix: tokenErrorText(t, errcode, errmsg) };
  }
  if (isAppError(err, "TOKEN_UNAVAILABLE")) {
    return { what: e.token, fix: tokenErrorText(t, err.details.errcode, err.details.errmsg) };
  }
  if (isAppError(err, "WECHAT_NETWORK")) return { what: e.network, fix: tokenErrorText(t, null, err.message) };
  if (isAppError(err, "INVALID_INPUT") && err.reason?.startsWith("media_")) return { what: fmt(e.media, { message: err.message }), fix: e.mediaFix };
  return null;
}
