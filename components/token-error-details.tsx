import type { Dictionary, Locale } from "@/lib/i18n";
import { fmt } from "@/lib/i18n";
import type { TokenError } from "@/lib/tokens";
import { CopyButton } from "./ui/copy-button";

/** What went wrong fetching the token, and the fix: the IP to whitelist is shown on its own, copyable. */
export function TokenErrorDetails({ error, t, locale, common }: { error: TokenError; t: Dictionary["token"]; locale: Locale; common: Dictionary["common"] }) {
  return (
    <div className="space-y-2">
      <p className="font-medium">{locale === "zh" ? error.fix.zh : error.fix.en}</p>
      {error.ip ? (
        <div className="flex flex-wrap items-center gap-2">
          <span>{t.ipToAdd}</span>
          <code data-testid="whitelist-ip" className="rounded bg-white px-2 py-0.5 font-mono ring-1 ring-current/20">
            {error.ip}
          </code>
          <CopyButton value={error.ip} label={common.copy} copiedLabel={common.copied} />
        </div>
      ) : null}
      <p className="break-all font-mono text-xs opacity-80">
        {error.errcode !== null ? `${fmt(t.errcode, { code: error.errcode })} · ` : ""}
        {error.errmsg}
      </p>
    </div>
  );
}
