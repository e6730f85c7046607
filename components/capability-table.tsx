import { capabilityMatrix } from "@/lib/accounts/capabilities";
import type { TAccountType } from "@/lib/accounts/account-fields";
import type { Dictionary } from "@/lib/i18n";
import { cn } from "./ui/cn";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "./ui/table";

const MARK = { yes: "✓", partial: "◐", no: "✕" } as const;

export function CapabilityTable({
  id,
  title,
  caption,
  note,
  type,
  certified,
  t,
  featureLabel,
  statusLabel,
}: {
  id: string;
  title: string;
  caption: string;
  note: string;
  type: TAccountType;
  certified: boolean;
  t: Dictionary["setup"]["capability"];
  featureLabel: string;
  statusLabel: string;
}) {
  const rows = capabilityMatrix(type, certified);
  return (
    <div className="rounded-xl border border-slate-200 bg-white shadow-sm">
      <div className="border-b border-slate-100 px-4 py-3">
        <h2 id={id} className="text-sm font-semibold text-slate-900">
          {title}
        </h2>
        <p id={`${id}-caption`} className="text-xs text-slate-500">
          {caption}
        </p>
      </div>
      <Table density="compact" edge={4} aria-labelledby={id} aria-describedby={`${id}-caption`}>
        <TableHeader className="sr-only">
          <TableRow>
            <TableHead>{featureLabel}</TableHead>
            <TableHead>{statusLabel}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.feature} className={cn(r.state === "no" && "text-slate-400")}>
              <TableCell>
                <span className={cn(r.state === "no" ? "text-slate-500" : "text-slate-800")}>{t.features[r.feature]}</span>
                {r.reason ? <span className="block text-xs text-slate-500">{t.reasons[r.reason]}</span> : null}
              </TableCell>
              <TableCell className="w-28 text-right align-top">
                <span
                  className={cn(
                    "inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-xs font-medium",
                    r.state === "yes" ? "bg-emerald-50 text-emerald-700" : r.state === "partial" ? "bg-amber-50 text-amber-800" : "bg-slate-100 text-slate-500",
                  )}
                >
                  <span aria-hidden>{MARK[r.state]}</span>
                  {t.states[r.state]}
                </span>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <p className="border-t border-slate-100 px-4 py-3 text-xs leading-relaxed text-slate-500">{note}</p>
    </div>
  );
}
