import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, runCli } from "./cli-io.js";

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
    expect((await runCli(["shop/listings.json", "--no-templates", "--max-warnings", "1"])).code).toBe(0);
    expect((await runCli(["shop/listings.json", "--no-templates", "--max-warnings", "0"])).code).toBe(1);
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

describe("forgetting -t does not pass CI", () => {
  it("listings that name template ids, and no template given anywhere: exit 2, and how to give them", async () => {
    const r = await runCli(["shop/listings.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^错误：shop\/listings\.json:\d+ templateId: 没有提供运费模板，但商品指定了运费模板 ID（第一个：「T1」）/m,
    );
    expect(r.stderr).toMatch(
      /请用 -t <文件或文件夹> 或配置文件的 templates: \[\.\.\.\] 提供模板；只审核文字请加 --no-templates/,
    );
    // Stopped at the first such listing: nothing was audited.
    expect(r.stdout).not.toMatch(/1001/);
    const english = await runCli(["shop/listings.json", "--lang", "en"]);
    expect(english.code).toBe(2);
    expect(english.stderr).toMatch(
      /no shipping template was given, but the listings name template ids .*Give the templates with -t/,
    );
  });

  it('listings that name no template (no id, "" or "0") need none', async () => {
    const file = path.join(tmp, "no-template-ids.json");
    const listings = ["", "0", undefined].map((templateId, i) => ({
      id: `N${i}`,
      title: "保温杯 500ml",
      ...(templateId === undefined ? {} : { templateId }),
    }));
    await writeFile(file, JSON.stringify(listings));
    const r = await runCli([file]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("templates from the config or among the inputs count as given", async () => {
    const config = path.join(tmp, "templates.yaml");
    await writeFile(config, `templates: [${JSON.stringify(path.join(FIXTURES, "shop/templates.yaml"))}]\n`);
    expect((await runCli(["shop/listings.json", "-c", config])).code).toBe(1);
    expect((await runCli(["shop/listings.json", "shop/templates.yaml"])).code).toBe(1);
  });

  it("--no-templates audits the text only and says so in the summary", async () => {
    const r = await runCli(["shop/listings.json", "--no-templates"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split("\n").at(-1)).toMatch(/；--no-templates：未加载运费模板，只审核文字$/);
    expect(r.stderr).toMatch(/--no-templates：未加载运费模板，只审核文字/);
    // A template among the inputs is left out too: the run is the text only.
    const withFile = await runCli(["shop/listings.json", "shop/templates.yaml", "--no-templates", "-f", "json"]);
    expect(JSON.parse(withFile.stdout).summary.error).toBe(0);
    expect((await runCli(["shop/listings.json", "--no-templates", "-t", "shop/templates.yaml"])).code).toBe(2);
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
    expect((await runCli([...SHOP, "-c", path.join(tmp, "missing.yaml"), "--quiet"])).stderr).toMatch(
      /^错误：.*missing\.yaml: 配置文件不存在\n$/,
    );
  });
});
