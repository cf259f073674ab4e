import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startCli } from "./helpers/child-cli.js";

const dataDir = mkdtempSync(path.join(tmpdir(), "listing-audit-serve-cli-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("listing-audit serve (the built command)", () => {
  it("serves the built web app and the API on loopback until SIGTERM, with its data in --data", async () => {
    const { child, done, stderrSoFar } = startCli(["serve", "--port", "0", "--data", dataDir, "--max-runs", "2"]);
    const deadline = Date.now() + 30_000;
    let origin: string | undefined;
    while (origin === undefined && Date.now() < deadline) {
      origin = /工作台：(http:\/\/127\.0\.0\.1:\d+)/.exec(stderrSoFar())?.[1];
      if (origin === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    expect(origin, stderrSoFar()).toBeDefined();
    expect(stderrSoFar()).toContain("同时审核至多 2 个");
    const page = await fetch(`${origin}/shop`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
    expect(html).not.toMatch(/<script>/);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect((await fetch(`${origin}${script}`)).headers.get("content-type")).toMatch(/javascript/);
    const rules = (await (await fetch(`${origin}/api/v1/rules`)).json()) as { rules: { title: string }[] };
    expect(rules.rules.length).toBeGreaterThan(10);
    expect(readdirSync(dataDir)).toContain("listing-audit.sqlite");
    child.kill("SIGTERM");
    expect((await done).code).toBe(143);
  }, 60_000);
});
