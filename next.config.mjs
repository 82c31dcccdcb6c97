/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WASM packages must be loaded by Node at run time, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "@node-rs/argon2", "pino", "pino-pretty"],
  experimental: {
    // Enables forbidden() so the guard can answer with a real 403 page.
    authInterrupts: true,
  },
  poweredByHeader: false,
};

export default nextConfig;
