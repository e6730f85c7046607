import type { ReactNode } from "react";
import { cn } from "./cn";

/** Ids a field's control must reference: aria-describedby lists the hint and the error. */
export function fieldIds(id: string, opts: { hint?: boolean; error?: boolean }) {
  const describedBy = [opts.hint ? `${id}-hint` : null, opts.error ? `${id}-error` : null].filter(Boolean).join(" ");
  return { id, "aria-describedby": describedBy || undefined, "aria-invalid": opts.error ? true : undefined };
}

/**
 * Label above, control, then the hint and the error (announced by screen readers). `labelHidden`
 * keeps the label for screen readers only, where a row's context already says what the control is.
 */
export function Field({
  id,
  label,
  hint,
  error,
  children,
  className,
  aside,
  labelHidden,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  children: ReactNode;
  className?: string;
  aside?: ReactNode;
  labelHidden?: boolean;
}) {
  return (
    <div className={cn(!labelHidden && "space-y-1.5", className)}>
      {labelHidden ? (
        <label htmlFor={id} className="sr-only">
          {label}
        </label>
      ) : (
        <div className="flex items-baseline justify-between gap-3">
          <label htmlFor={id} className="text-sm font-medium text-slate-800">
            {label}
          </label>
          {aside}
        </div>
      )}
      {children}
      {error ? (
        <p id={`${id}-error`} className={cn("text-sm text-red-600", labelHidden && "mt-1.5")} role="alert">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={`${id}-hint`} className={cn("text-xs leading-relaxed text-slate-500", labelHidden && "mt-1.5")}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
