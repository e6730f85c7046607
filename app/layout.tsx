import type { Metadata } from "next";
import { TimezoneSync } from "@/components/timezone-sync";
import { getI18n } from "@/lib/i18n/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "mpdesk", template: "%s · mpdesk" },
  description: "WeChat Official Account backend and console",
  // Served from public/ (rendered by scripts/render-icons.ts); the proxy lets them through signed out.
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "48x48" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
    apple: "/apple-touch-icon.png",
  },
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const { t, tz } = await getI18n();
  return (
    <html lang={t.meta.htmlLang}>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <TimezoneSync current={tz} />
        {children}
      </body>
    </html>
  );
}
