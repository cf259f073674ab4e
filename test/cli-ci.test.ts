import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./cli-io.js";

// shop: 1001 has an error (claim-charged-region) and an info (overseas-not-stated); 1002 is clean.
const SHOP = ["shop/listings.json", "-t", "shop/templates.yaml"];
const ANSI = /\u001b\[/;

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "listing-audit-ci-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("exit status for CI", () => {
  it.each([
    [[], 1],
    [["--fail-on", "error"], 1],
    [["--fail-on", "warning"], 1],
    [["--fail-on", "info"], 1],
    [["--fail-on", "never"], 0],
    [["--fail-on", "never", "--max-warnings", "0"], 0],
    [["--fail-on", "never", "--max-problems", "0"], 0],
    [["--fail-on", "sometimes"], 2],
    [["--max-warnings", "-1"], 2],
    [["--max-problems", "many"], 2],
    [["--fail-on", "never", "--threads", "1"], 0],
    [["--threads", "two"], 2],
    [["-f", "text", "-f", "json"], 2],
    [["--no-such-option"], 2],
  ])("%j → %i", async (args, code) => {
    expect((await runCli([...SHOP, ...(args as string[])])).code).toBe(code);
  });

  it("--max-warnings counts warnings, --max-problems counts input problems", async () => {
    // Without templates every claim is unverifiable: one warning.
    expect((await runCli(["shop/listings.json", "--max-warnings", "1"])).code).toBe(0);
    expect((await runCli(["shop/listings.json", "--max-warnings", "0"])).code).toBe(1);
    expect((await runCli(["sources/broken.json", "--fail-on", "never", "--max-problems", "100"])).code).toBe(0);
    expect((await runCli(["sources/broken.json", "--fail-on", "never", "--max-problems", "0"])).code).toBe(1);
  });

  it("a config's failOn applies when --fail-on is not given, and --fail-on wins over it", async () => {
    const config = path.join(tmp, "never.yaml");
    await writeFile(config, "failOn: never\n");
    expect((await runCli([...SHOP, "-c", config])).code).toBe(0);
    expect((await runCli([...SHOP, "-c", config, "--fail-on", "error"])).code).toBe(1);
  });

  it("the config's default formats are used when no -f is given", async () => {
    const config = path.join(tmp, "formats.yaml");
    const sarif = path.join(tmp, "from-config.sarif");
    await writeFile(config, `format:\n  - json\n  - sarif=${sarif}\n`);
    const r = await runCli([...SHOP, "-c", config]);
    expect(JSON.parse(r.stdout).summary.listings).toBe(2);
    expect(JSON.parse(await readFile(sarif, "utf8")).version).toBe("2.1.0");
  });
});

describe("colour and quiet", () => {
  it("colours the text report on a terminal unless NO_COLOR is set", async () => {
    expect((await runCli(SHOP, { isTTY: true })).stdout).toMatch(ANSI);
    expect((await runCli(SHOP, { isTTY: true, env: { NO_COLOR: "1" } })).stdout).not.toMatch(ANSI);
    expect((await runCli(SHOP, { isTTY: false })).stdout).not.toMatch(ANSI);
  });

  it("FORCE_COLOR forces colour on a pipe and FORCE_COLOR=0 turns it off; files are never coloured", async () => {
    expect((await runCli(SHOP, { env: { FORCE_COLOR: "1" } })).stdout).toMatch(ANSI);
    expect((await runCli(SHOP, { isTTY: true, env: { FORCE_COLOR: "0" } })).stdout).not.toMatch(ANSI);
    // Both set: FORCE_COLOR, the more specific request, wins (as in Node.js); an empty value is unset.
    expect((await runCli(SHOP, { env: { FORCE_COLOR: "1", NO_COLOR: "1" } })).stdout).toMatch(ANSI);
    expect((await runCli(SHOP, { isTTY: true, env: { FORCE_COLOR: "", NO_COLOR: "1" } })).stdout).not.toMatch(ANSI);
    const file = path.join(tmp, "report.txt");
    await runCli([...SHOP, "-f", `text=${file}`], { isTTY: true, env: { FORCE_COLOR: "1" } });
    expect(await readFile(file, "utf8")).not.toMatch(ANSI);
  });

  it("--quiet silences notes and warnings on stderr but not errors", async () => {
    const config = path.join(tmp, "allow.yaml");
    await writeFile(config, "allow: { listings: ['1002'] }\n");
    expect((await runCli([...SHOP, "-c", config])).stderr).toMatch(/1 个商品在白名单中/);
    expect((await runCli([...SHOP, "-c", config, "--quiet"])).stderr).toBe("");
    expect((await runCli([...SHOP, "-c", path.join(tmp, "missing.yaml"), "--quiet"])).stderr).toMatch(/^错误：.*missing\.yaml: 配置文件不存在\n$/);
  });
});
