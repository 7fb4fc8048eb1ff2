import type { NextConfig } from "next";

// better-sqlite3, pg and Prisma are server-external in Next 16 already; the app reads the
// database through lib/db at request time, so nothing here needs to be static.
const config: NextConfig = {
  poweredByHeader: false,
  devIndicators: false,
  // Offline machines: never try to reach Vercel's telemetry or image CDNs.
  images: { unoptimized: true },
};

export default config;
