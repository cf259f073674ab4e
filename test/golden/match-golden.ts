import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

/**
 * Compares a rendered report with test/golden/<name>. `UPDATE_GOLDEN=1 npx vitest run test/report-*`
 * rewrites the files instead; review the diff before committing.
 */
export function matchGolden(name: string, actual: string): void {
  const path = fileURLToPath(new URL(name, import.meta.url));
  if (process.env.UPDATE_GOLDEN === "1") {
    writeFileSync(path, actual, "utf8");
    return;
  }
  if (!existsSync(path)) expect.fail(`test/golden/${name} is missing: run with UPDATE_GOLDEN=1 to create it`);
  expect(actual).toBe(readFileSync(path, "utf8"));
}
