import { headers } from "next/headers";

export const dynamic = "force-dynamic";

export default async function Home() {
  const h = await headers();
  const base = process.env.PUBLIC_URL ?? `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost:3000"}`;
  return (
    <main className="mx-auto max-w-2xl p-10">
      <h1 className="text-2xl font-semibold">mpdesk</h1>
      <p className="mt-4">
        服务器地址 (URL) / Server URL: <code className="rounded bg-white px-2 py-1">{`${base.replace(/\/$/, "")}/api/wechat`}</code>
      </p>
      <p className="mt-2 text-sm text-slate-600">
        在公众平台「设置与开发 → 基本配置」中填写此地址。 Paste it in the MP admin under 设置与开发 → 基本配置.
      </p>
    </main>
  );
}
