import type { InputHTMLAttributes, SelectHTMLAttributes } from "react";
import { cn } from "./cn";

export const controlClass = cn(
  "block w-full rounded-lg border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-sm placeholder:text-slate-400",
  "focus:border-emerald-600 focus:outline-none focus:ring-2 focus:ring-emerald-600/20",
  "disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-500",
  "aria-[invalid=true]:border-red-500 aria-[invalid=true]:focus:ring-red-500/20",
);

export function Input({ className, ...props }: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={cn(controlClass, "h-10", className)} {...props} />;
}

export function Select({ className, ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={cn(controlClass, "h-10 pr-8", className)} {...props} />;
}
