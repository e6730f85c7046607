import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

/** The links between keyset pages, as the message log and the inbox show them; a missing href hides its link. */
export function PagerLinks({
  newest,
  newer,
  older,
  t,
}: {
  newest?: string | null;
  newer?: string | null;
  older?: string | null;
  t: { newest: string; newer: string; older: string };
}) {
  return (
    <div className="flex gap-2">
      {newest ? (
        <Link href={newest} className={buttonClass("ghost", "sm")}>
          {t.newest}
        </Link>
      ) : null}
      {newer ? (
        <Link href={newer} className={buttonClass("secondary", "sm")} rel="prev">
          ← {t.newer}
        </Link>
      ) : null}
      {older ? (
        <Link href={older} className={buttonClass("secondary", "sm")} rel="next">
          {t.older} →
        </Link>
      ) : null}
    </div>
  );
}
