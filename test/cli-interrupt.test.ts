import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";

// The installed command (bin/ runs the build that `npm ci` makes): signals are handled there.
const BIN = fileURLToPath(new URL("../bin/listing-audit.js", import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), "cli-interrupt-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test("Ctrl-C exits 130 and removes the run's spooled problems", async () => {
  const spool = path.join(tmp, "spool");
  mkdirSync(spool);
  const child = spawn(process.execPath, [BIN, "-", "-f", "json", "-o", path.join(tmp, "report.json")], {
    env: { ...process.env, TMPDIR: spool },
    stdio: ["pipe", "ignore", "ignore"],
  });
  // Writes still in flight when the child exits fail with EPIPE: expected here.
  child.stdin.on("error", () => undefined);
  // 60,000 records with a bad title: a problem each, several MiB of spooled JSON; stdin stays open.
  const lines = Array.from({ length: 60_000 }, (_, i) => `{"id":"L${i}","title":${i}}\n`).join("");
  child.stdin.write(lines);
  const spooled = await waitFor(() => readdirSync(spool).length > 0, 30_000);
  expect(spooled).toBe(true);
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  child.kill("SIGINT");
  expect(await exit).toBe(130);
  expect(readdirSync(spool)).toEqual([]);
}, 60_000);

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
