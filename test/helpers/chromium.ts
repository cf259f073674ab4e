import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Debian's chromium, or CHROMIUM_PATH: the browser every browser test drives through playwright-core. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * Whether `suite`'s browser tests must be skipped for want of a browser: only off CI, where a missing
 * browser fails the suite instead (.ci/run installs it).
 */
export function browserMissingFor(suite: string): boolean {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI === "true")
    throw new Error(`${suite}: chromium not found at ${CHROMIUM}; CI must install it (.ci/run does)`);
  console.warn(`${suite}: skipping the browser tests: no chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);
  return true;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
