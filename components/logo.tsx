import { cn } from "./ui/cn";

export function Logo({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 40 40" aria-hidden className={cn("shrink-0", className)}>
      <rect width="40" height="40" rx="10" fill="#07C160" />
      <path
        d="M17 11c-5.5 0-10 3.7-10 8.3 0 2.6 1.4 4.9 3.7 6.4l-.9 2.8 3.3-1.7c1.2.4 2.5.6 3.9.6h.6a7.4 7.4 0 0 1-.3-2c0-4.6 4.3-8.3 9.6-8.3h.6C26.6 13.7 22.3 11 17 11Z"
        fill="#fff"
      />
      <path
        d="M33 24.4c0-3.8-3.7-6.9-8.3-6.9s-8.3 3.1-8.3 6.9 3.7 6.9 8.3 6.9c1 0 2-.1 2.9-.4l2.7 1.4-.7-2.3c2-1.3 3.4-3.3 3.4-5.6Z"
        fill="#fff"
        fillOpacity=".85"
      />
      <circle cx="13.6" cy="17.6" r="1.3" fill="#07C160" />
      <circle cx="20.4" cy="17.6" r="1.3" fill="#07C160" />
    </svg>
  );
}
