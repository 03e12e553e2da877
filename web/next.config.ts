import type { NextConfig } from "next";

// Workspace packages are TypeScript sources, compiled by Next itself. PGlite (WASM and data
// files) and pg load at run time from node_modules rather than through the bundler.
const nextConfig: NextConfig = {
  transpilePackages: ["@ringfence/db", "@ringfence/engine"],
  serverExternalPackages: ["@electric-sql/pglite", "pg", "drizzle-orm"],
  poweredByHeader: false,
  // A build of its own per engineer or CI job when set (e.g. `.next-policy`): `next build`
  // rewrites the whole directory, so two browser runs sharing `.next` break each other's server.
  distDir: process.env.RINGFENCE_NEXT_DIST_DIR || ".next",
};

export default nextConfig;
