import type { NextConfig } from "next";

// Workspace packages are TypeScript sources, compiled by Next itself. PGlite (WASM and data
// files) and pg load at run time from node_modules rather than through the bundler.
const nextConfig: NextConfig = {
  transpilePackages: ["@ringfence/db", "@ringfence/engine"],
  serverExternalPackages: ["@electric-sql/pglite", "pg", "drizzle-orm"],
  poweredByHeader: false,
};

export default nextConfig;
