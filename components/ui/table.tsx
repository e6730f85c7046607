import type { ComponentProps } from "react";
import { cn } from "./cn";

// The table decides its cells' padding, so a page picks a density instead of repeating
// `px-4 py-2.5` on every cell. `cn` only joins classes, so a cell-level padding would fight the
// default one; selectors on the table win by specificity and the edge rule beats the density rule.
const densities = {
  default: "[&_:is(th,td)]:px-4 [&_:is(th,td)]:py-2.5",
  compact: "[&_:is(th,td)]:px-3 [&_:is(th,td)]:py-2",
} as const;
// The first and last columns line up with what surrounds the table: a card's header (5), a box's
// own padding (4), or nothing when the table already sits inside padding (0).
const edges = {
  0: "[&_:is(th,td):first-child]:pl-0 [&_:is(th,td):last-child]:pr-0",
  4: "[&_:is(th,td):first-child]:pl-4 [&_:is(th,td):last-child]:pr-4",
  5: "[&_:is(th,td):first-child]:pl-5 [&_:is(th,td):last-child]:pr-5",
} as const;

/** A table in a wrapper that scrolls sideways on a narrow screen instead of widening the page. */
export function Table({
  className,
  wrapperClassName,
  density = "default",
  edge,
  ...props
}: ComponentProps<"table"> & { wrapperClassName?: string; density?: keyof typeof densities; edge?: keyof typeof edges }) {
  return (
    <div data-slot="table-container" className={cn("relative w-full overflow-x-auto", wrapperClassName)}>
      <table data-slot="table" className={cn("w-full text-sm", densities[density], edge !== undefined && edges[edge], className)} {...props} />
    </div>
  );
}

/** Column headings: small caps-like labels. Add a border and a tint where the table has a frame. */
export function TableHeader({ className, ...props }: ComponentProps<"thead">) {
  return <thead data-slot="table-header" className={cn("text-left text-xs font-medium uppercase tracking-wide text-slate-500", className)} {...props} />;
}

export function TableBody({ className, ...props }: ComponentProps<"tbody">) {
  return <tbody data-slot="table-body" className={cn("divide-y divide-slate-100", className)} {...props} />;
}

export function TableFooter({ className, ...props }: ComponentProps<"tfoot">) {
  return <tfoot data-slot="table-footer" className={cn("border-t border-slate-100 bg-slate-50/70 font-medium", className)} {...props} />;
}

export function TableRow({ className, ...props }: ComponentProps<"tr">) {
  return <tr data-slot="table-row" className={className} {...props} />;
}

/** A heading cell: a column's by default; pass `scope="row"` for a row's. */
export function TableHead({ className, scope = "col", ...props }: ComponentProps<"th">) {
  return <th data-slot="table-head" scope={scope} className={className} {...props} />;
}

export function TableCell({ className, ...props }: ComponentProps<"td">) {
  return <td data-slot="table-cell" className={className} {...props} />;
}

export function TableCaption({ className, ...props }: ComponentProps<"caption">) {
  return <caption data-slot="table-caption" className={cn("mt-3 caption-bottom text-xs text-slate-500", className)} {...props} />;
}
