/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WASM packages must be loaded by Node at run time, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "pg-boss", "@node-rs/argon2", "pino", "pino-pretty"],
  experimental: {
    // Enables forbidden() so the guard can answer with a real 403 page.
    authInterrupts: true,
    // Mass subscribe sends pasted text or a CSV file's content to a server action (≤ 2M characters).
    serverActions: { bodySizeLimit: "8mb" }, // = ACTION_BODY_LIMIT in lib/security/action-body-limit.ts (the proxy refuses past it)
  },
  poweredByHeader: false,
  // gzip belongs to the reverse proxy in front (README, "Running in production"): done here it
  // costs 1-3 ms of every page (issue 13). COMPRESS_RESPONSES=1 when no proxy compresses.
  compress: process.env.COMPRESS_RESPONSES === "1",
  // `npm test` runs `tsc --noEmit` over the whole project as its first stage; checking again
  // inside every production build only doubles the time.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
