import { Badge } from "@/components/ui/badge";
import { Callout } from "@/components/ui/callout";
import { isAppError } from "@/lib/app-error";
import { fmt, type Dictionary } from "@/lib/i18n";
import { fetchPlatformMenu, type PlatformMenu } from "@/lib/menu/platform-menu-preview";

// The menu followers see now, read on every visit (it is the thing being copied, and it changes
// in the MP admin), with what the import makes of each button.
export async function PlatformMenuPanel({ accountId, k }: { accountId: string; k: Dictionary["customMenu"]["takeover"] }) {
  let menu: PlatformMenu | null = null;
  let failure: string | null = null;
  try {
    menu = await fetchPlatformMenu(accountId);
  } catch (err) {
    if (isAppError(err, "WECHAT_API")) failure = fmt(k.failed, { errcode: err.details.errcode, errmsg: err.details.errmsg });
    else if (isAppError(err)) failure = err.message;
    else throw err;
  }
  if (failure)
    return (
      <Callout tone="danger" role="alert">
        {failure}
      </Callout>
    );
  if (!menu || !menu.rows.length) return <Callout tone="tip">{k.empty}</Callout>;
  return (
    <section aria-labelledby="platform-menu" className="space-y-3" data-testid="platform-menu">
      <div>
        <h3 id="platform-menu" className="text-sm font-semibold text-slate-900">
          {k.platformTitle}
        </h3>
        <p className="text-sm text-slate-500">{k.platformIntro}</p>
      </div>
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200">
        {menu.rows.map((r) => (
          <li key={r.path} className={r.depth ? "flex flex-wrap items-center gap-2 py-2 pl-10 pr-4" : "flex flex-wrap items-center gap-2 px-4 py-2"}>
            <span className="font-medium text-slate-900">{r.name}</span>
            {r.becomes === "parent" ? (
              <Badge tone="neutral">{k.parent}</Badge>
            ) : (
              <>
                <Badge tone={r.becomes === "click_rule" ? "violet" : "blue"}>{r.type}</Badge>
                {r.detail ? <span className="max-w-xs truncate text-sm text-slate-500">{r.detail}</span> : null}
                <span className={r.becomes === "click_rule" ? "text-sm text-violet-800" : "text-sm text-slate-500"}>
                  {r.becomes === "click_rule" ? k.becomesClick : k.kept}
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
