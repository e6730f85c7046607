import Link from "next/link";
import { Callout } from "@/components/ui/callout";
import type { Dictionary } from "@/lib/i18n";

/** The takeover steps read the platform through WeChat's API: without a token, the step to take first. */
export function NoTokenNotice({ href, t }: { href: string; t: Dictionary["setup"]["noToken"] }) {
  return (
    <Callout tone="warning" title={t.title}>
      <p>
        {t.body} <Link href={href}>{t.link} →</Link>
      </p>
    </Callout>
  );
}
