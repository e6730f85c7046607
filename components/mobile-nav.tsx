"use client";

import { useState } from "react";
import { NavLinks, type NavItem } from "./nav-links";

export function MobileNav({
  items,
  firstAppId,
  accountNames,
  label,
  closeLabel,
}: {
  items: NavItem[];
  firstAppId: string | null;
  accountNames?: Record<string, string>;
  label: string;
  closeLabel: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <div className="lg:hidden">
      <button
        type="button"
        aria-expanded={open}
        aria-controls="mobile-nav"
        onClick={() => setOpen((o) => !o)}
        className="inline-flex size-9 items-center justify-center rounded-lg text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-emerald-600"
      >
        <span className="sr-only">{open ? closeLabel : label}</span>
        <svg aria-hidden viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" className="size-5">
          {open ? <path d="M6 6l12 12M18 6 6 18" /> : <path d="M4 7h16M4 12h16M4 17h16" />}
        </svg>
      </button>
      {open ? (
        <nav id="mobile-nav" aria-label={label} className="absolute inset-x-0 top-14 z-30 border-b border-slate-200 bg-white px-3 py-3 shadow-lg">
          <NavLinks items={items} firstAppId={firstAppId} accountNames={accountNames} onNavigate={() => setOpen(false)} />
        </nav>
      ) : null}
    </div>
  );
}
