"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { accountPath, appIdOfPath } from "@/lib/accounts/account-path";
import { cn } from "./ui/cn";

/**
 * A link of the sidebar. `account` items are pages of one account (`href` is the part after
 * /a/<AppID>): they open the account shown, or the user's first one on the pages about no account.
 */
export type NavItem = {
  href: string;
  label: string;
  icon: "home" | "account" | "inbox" | "messages" | "rules" | "menu" | "plug" | "key" | "users" | "lock";
  account?: boolean;
};

const ICONS: Record<NavItem["icon"], React.ReactNode> = {
  home: <path d="M3 10.5 12 3l9 7.5M5 9v11h5v-6h4v6h5V9" />,
  account: <path d="M4 20V6a2 2 0 0 1 2-2h8a2 2 0 0 1 2 2v14M16 10h2a2 2 0 0 1 2 2v8M2 20h20M8 8h4M8 12h4M8 16h4" />,
  inbox: <path d="M3 13h5l1.5 3h5L16 13h5M5.5 5h13L21 13v6H3v-6l2.5-8Z" />,
  messages: <path d="M21 12c0 4.4-4 8-9 8-1.5 0-3-.3-4.2-.9L3 20l1.4-3.7C3.5 15 3 13.6 3 12c0-4.4 4-8 9-8s9 3.6 9 8Z" />,
  rules: <path d="M4 6h10M4 12h7M4 18h10M17 4l3 3-3 3M17 14l3 3-3 3" />,
  menu: <path d="M3 18h18M3 18V8a1 1 0 0 1 1-1h16a1 1 0 0 1 1 1v10M9 7v11M15 7v11M10.5 4h3" />,
  plug: <path d="M9 3v5M15 3v5M6 8h12v3a6 6 0 0 1-12 0V8Zm6 9v4" />,
  key: <path d="M15 7a4 4 0 1 1-3.9 5H8v3H5v-3H3v-3h8.1A4 4 0 0 1 15 7Zm0 3h.01" />,
  lock: <path d="M6 11V8a6 6 0 0 1 12 0v3M5 11h14v10H5V11Zm7 4v2" />,
  users: <path d="M16 19v-1a4 4 0 0 0-4-4H7a4 4 0 0 0-4 4v1m18 0v-1a4 4 0 0 0-3-3.9M14 3.1a4 4 0 0 1 0 7.8M13.5 7a4 4 0 1 1-8 0 4 4 0 0 1 8 0Z" />,
};

export function NavLinks({
  items,
  firstAppId,
  accountNames,
  onNavigate,
}: {
  items: NavItem[];
  firstAppId: string | null;
  /** With several accounts, the name of each by AppID: the account items get a caption naming the one they open. */
  accountNames?: Record<string, string>;
  onNavigate?: () => void;
}) {
  const pathname = usePathname();
  const appId = appIdOfPath(pathname) ?? firstAppId;
  const caption = appId && accountNames ? accountNames[appId] : undefined;
  const firstAccountItem = items.findIndex((i) => i.account);
  return (
    <ul className="space-y-0.5">
      {items.flatMap((item, i) => {
        if (item.account && !appId) return [];
        // The account's items are grouped under its name; the pages about all accounts follow, set apart.
        const heading =
          caption && i === firstAccountItem ? (
            <li key="account-caption" aria-hidden className="truncate px-3 pb-1 pt-4 text-[11px] font-medium tracking-wide text-slate-400" title={caption}>
              {caption}
            </li>
          ) : null;
        const after = caption && !item.account && items[i - 1]?.account ? "!mt-4 border-t border-slate-100 pt-3" : undefined;
        const href = item.account ? accountPath(appId!, item.href as "" | `/${string}`) : item.href;
        // The overviews (/ and /a/<AppID>) are active on themselves only, the others on their sub-pages too.
        const exact = item.href === "/" || (item.account && item.href === "");
        const active = exact ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
        const rendered = (
          <li key={item.label} className={after}>
            <Link
              href={href}
              onClick={onNavigate}
              aria-current={active ? "page" : undefined}
              className={cn(
                "flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-emerald-600",
                active ? "bg-emerald-50 text-emerald-800" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
              )}
            >
              <svg
                aria-hidden
                viewBox="0 0 24 24"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.7"
                strokeLinecap="round"
                strokeLinejoin="round"
                className={cn("size-[18px]", active ? "text-emerald-600" : "text-slate-400")}
              >
                {ICONS[item.icon]}
              </svg>
              {item.label}
            </Link>
          </li>
        );
        return heading ? [heading, rendered] : [rendered];
      })}
    </ul>
  );
}
