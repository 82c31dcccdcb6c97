import { existsSync } from "node:fs";
import { run } from "./run";

export const CHROMIUM = "/usr/bin/chromium";

/** Playwright drives Debian's Chromium; browser downloads are not possible on these machines. */
export async function ensureChromium(): Promise<void> {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) throw new Error(`${CHROMIUM} is missing: install Debian's "chromium" package (apt-get install chromium).`);
  console.log("Installing Debian's chromium for the browser tests…");
  await run("apt-get", ["update", "-q"], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  await run("apt-get", ["install", "-y", "-q", "--no-install-recommends", "chromium"], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}
