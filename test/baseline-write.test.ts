import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../src/util/atomic-file.js";
import { runCli } from "./cli-io.js";

// Child processes run the installed command and the build (`npm run build` first).
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const BIN = path.join(ROOT, "bin/listing-audit.js");
const SAMPLES = path.join(ROOT, "samples");
const AUDIT = ["samples/listings.json", "-t", "samples/templates", "--quiet"];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "listing-audit-baseline-write-"));
  await cp(SAMPLES, path.join(dir, "samples"), { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runChild(command: string, args: string[], cwd: string): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const leftovers = async (folder: string) => (await readdir(folder)).filter((name) => name.endsWith(".tmp"));

describe("--update-baseline writes atomically", () => {
  it("concurrent writers leave exactly one writer's whole file, never a mix", async () => {
    const folder = await mkdtemp(path.join(dir, "concurrent-"));
    const file = path.join(folder, "baseline.json");
    // Lengths differ, so an in-place write would leave the tail of a longer text behind a shorter one.
    const texts = Array.from(
      { length: 12 },
      (_, i) => `${JSON.stringify({ writer: i, pad: "x".repeat(200_000 * (12 - i)) })}\n`,
    );
    await Promise.all(texts.map((text) => writeFileAtomic(file, text)));
    expect(texts).toContain(await readFile(file, "utf8"));
    expect(await leftovers(folder)).toEqual([]);
  });

  it("a write that fails leaves what was there and no temporary file", async () => {
    const folder = await mkdtemp(path.join(dir, "fails-"));
    const target = path.join(folder, "baseline.json");
    // A folder where the file should be: the final rename fails after the text was written.
    await mkdir(target);
    await expect(writeFileAtomic(target, "new")).rejects.toThrow();
    expect((await stat(target)).isDirectory()).toBe(true);
    expect(await leftovers(folder)).toEqual([]);
  });

  it("a file-size limit (EFBIG, like a full disk) keeps the old baseline whole; exit 2 says why", async () => {
    const made = await runCli([...AUDIT, "--baseline", "efbig.json", "--update-baseline"], { cwd: dir });
    expect(made.code).toBe(0);
    const before = await readFile(path.join(dir, "efbig.json"), "utf8");
    expect(before.length).toBeGreaterThan(4096);
    // 4 KiB: the run reads freely but cannot write the 5 KiB baseline (Node gets EFBIG, not SIGXFSZ).
    const args = [BIN, ...AUDIT, "--baseline", "efbig.json", "--update-baseline"].map((a) => `'${a}'`).join(" ");
    const r = await runChild("bash", ["-c", `ulimit -f 4 && exec '${process.execPath}' ${args}`], dir);
    expect(r.stderr).toBe("错误：efbig.json: 无法写入：EFBIG\n");
    expect(r.code).toBe(2);
    expect(await readFile(path.join(dir, "efbig.json"), "utf8")).toBe(before);
    expect(await leftovers(dir)).toEqual([]);
  }, 60_000);

  it("Ctrl-C during the write leaves the old file or the whole new one, and no temporary file", async () => {
    const folder = await mkdtemp(path.join(dir, "sigint-"));
    const file = path.join(folder, "baseline.json");
    await writeFile(file, '{"old":true}\n');
    const size = 48 * 1024 * 1024;
    const script = path.join(folder, "write.mjs");
    const helper = pathToFileURL(path.join(ROOT, "dist/util/atomic-file.js")).href;
    await writeFile(
      script,
      `import { writeFileAtomic } from ${JSON.stringify(helper)};
process.once("SIGINT", () => process.exit(130));
await writeFileAtomic(${JSON.stringify(file)}, "x".repeat(${size}));
console.log("written");
setInterval(() => undefined, 1000);
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
    let written = false;
    child.stdout.on("data", () => (written = true));
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // Interrupt as soon as the temporary file exists (or, on a fast machine, once the write is done).
    const until = Date.now() + 30_000;
    while (!written && (await leftovers(folder)).length === 0 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 5));
    child.kill("SIGINT");
    expect(await exit).toBe(130);
    const after = await readFile(file, "utf8");
    expect(after === '{"old":true}\n' || after.length === size).toBe(true);
    expect(await leftovers(folder)).toEqual([]);
  }, 60_000);

  it("two concurrent runs updating one baseline leave a valid baseline of one of them", async () => {
    const one = [
      BIN,
      "samples/listings.json",
      "-t",
      "samples/templates",
      "--quiet",
      "--baseline",
      "shared.json",
      "--update-baseline",
    ];
    const two = [
      BIN,
      "samples/taobao-export.csv",
      "-t",
      "samples/templates",
      "--quiet",
      "--baseline",
      "shared.json",
      "--update-baseline",
    ];
    const runs = await Promise.all([runChild(process.execPath, one, dir), runChild(process.execPath, two, dir)]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const written = await readFile(path.join(dir, "shared.json"), "utf8");
    await runCli([...AUDIT, "--baseline", "only-json.json", "--update-baseline"], { cwd: dir });
    await runCli(
      [
        "samples/taobao-export.csv",
        "-t",
        "samples/templates",
        "--quiet",
        "--baseline",
        "only-csv.json",
        "--update-baseline",
      ],
      { cwd: dir },
    );
    const expected = [
      await readFile(path.join(dir, "only-json.json"), "utf8"),
      await readFile(path.join(dir, "only-csv.json"), "utf8"),
    ];
    expect(expected).toContain(written);
    expect(await leftovers(dir)).toEqual([]);
  }, 120_000);
});

describe("--update-baseline after a partial run", () => {
  it("refuses to write (exit 2) when records were skipped, and writes with --force", async () => {
    const listings = await readFile(path.join(dir, "samples/listings.json"), "utf8");
    // The export cut off mid-way, as a failed download leaves it: its tail is not read.
    await writeFile(path.join(dir, "cut-listings.json"), listings.slice(0, Math.floor(listings.length * 0.6)));
    await runCli([...AUDIT, "--baseline", "partial.json", "--update-baseline"], { cwd: dir });
    const before = await readFile(path.join(dir, "partial.json"), "utf8");
    const partial = ["cut-listings.json", "-t", "samples/templates", "--baseline", "partial.json", "--update-baseline"];
    const refused = await runCli(partial, { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/本次运行不完整：1 个输入问题跳过了记录或页面.*基线 partial.json 未更新.*--force/);
    expect(await readFile(path.join(dir, "partial.json"), "utf8")).toBe(before);

    const forced = await runCli([...partial, "--force"], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/按 --force 仍然写入基线 partial.json/);
    const entries = (JSON.parse(await readFile(path.join(dir, "partial.json"), "utf8")) as { entries: unknown[] })
      .entries;
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.length).toBeLessThan(20);
  });

  it("--force belongs to --update-baseline", async () => {
    const r = await runCli([...AUDIT, "--force"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--force 只与 --update-baseline 一起用/);
  });
});
