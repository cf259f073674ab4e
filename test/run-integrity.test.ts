import { spawn } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { BIN, ROOT, runChildCli, startCli, waitFor } from "./helpers/child-cli.js";

// Real child processes of bin/listing-audit.js (run `npm run build` first): real signals, pipes and files.
const tmp = mkdtempSync(path.join(os.tmpdir(), "run-integrity-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// Each test starts one or more Node processes: generous, so a loaded machine cannot fail them.
vi.setConfig({ testTimeout: 180_000 });

const LISTINGS = path.join(ROOT, "samples/listings.json");
const TEMPLATES = path.join(ROOT, "samples/templates");
const PREVIOUS = "previous report\n";

let folders = 0;
/** A fresh folder holding earlier reports with known contents. */
function folderWithReports(...names: string[]): string {
  const dir = path.join(tmp, `run-${folders++}`);
  mkdirSync(dir);
  for (const name of names) writeFileSync(path.join(dir, name), PREVIOUS);
  return dir;
}

function expectUntouched(dir: string, ...names: string[]): void {
  for (const name of names) expect(readFileSync(path.join(dir, name), "utf8"), name).toBe(PREVIOUS);
  // No temporary file (a dot-file next to the report) is left behind.
  expect(
    readdirSync(dir).filter((f) => f.startsWith(".")),
    "temporary files",
  ).toEqual([]);
}

/**
 * A run reading stdin that stays open: JSONL records are written, then it waits for more. 60,000 records
 * (about 3 MB) are more than the 1 MiB read up front to recognise the format, so the run is under way.
 */
function startOpenRun(args: string[], options: { stderrTTY?: boolean } = {}) {
  const run = startCli(["-", ...args], {
    stdio: ["pipe", "pipe", "pipe"],
    ...(options.stderrTTY ? { stderrTTY: true } : {}),
  });
  // Writes still in flight when the child exits fail with EPIPE: expected here.
  run.child.stdin?.on("error", () => undefined);
  const lines = Array.from({ length: 60_000 }, (_, i) => `{"id":"L${i}","title":"保温杯 ${i}号 全国包邮"}\n`).join("");
  run.child.stdin?.write(lines);
  return run;
}

describe("interrupted runs", () => {
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    it(`${signal} leaves the previous reports untouched and no temporary file (exit ${code})`, async () => {
      const dir = folderWithReports("r.json", "r.html", "r.sarif");
      const run = startOpenRun([
        "-f",
        `json=${path.join(dir, "r.json")}`,
        "-f",
        `html=${path.join(dir, "r.html")}`,
        "-f",
        `sarif=${path.join(dir, "r.sarif")}`,
      ]);
      // The reports are being written (to their temporary files) when the signal comes.
      expect(await waitFor(() => readdirSync(dir).filter((f) => f.startsWith(".")).length === 3, 120_000)).toBe(true);
      run.child.kill(signal);
      const result = await run.done;
      expect(result.code).toBe(code);
      expectUntouched(dir, "r.json", "r.html", "r.sarif");
      expect(readdirSync(dir).sort()).toEqual(["r.html", "r.json", "r.sarif"]);
      // Not a terminal: nothing to clear, nothing to say.
      expect(result.stderr).toBe("");
    });
  }

  for (const [lang, notice] of [
    ["zh", "已中断"],
    ["en", "interrupted"],
  ] as const) {
    it(`on a terminal, clears the progress line and says ${notice} (--lang ${lang})`, async () => {
      const dir = folderWithReports("r.json");
      const run = startOpenRun(["-f", `json=${path.join(dir, "r.json")}`, "--lang", lang], { stderrTTY: true });
      expect(await waitFor(() => / listings · |已审核 \d+ 个商品/.test(run.stderrSoFar()), 120_000)).toBe(true);
      run.child.kill("SIGINT");
      const result = await run.done;
      expect(result.code).toBe(130);
      expect(result.stderr.endsWith(`\r\u001b[K${notice}\n`)).toBe(true);
      expectUntouched(dir, "r.json");
    });
  }
});

describe("failing runs leave existing reports untouched", () => {
  const cases: Array<[string, (dir: string) => string[]]> = [
    ["a typo in an input name", () => [path.join(ROOT, "samples/listing.json"), "-t", TEMPLATES]],
    [
      "a bad template file",
      (dir) => {
        writeFileSync(path.join(dir, "bad-templates.yaml"), "templates:\n  - id: T1\n    payer: nobody\n");
        return [LISTINGS, "-t", path.join(dir, "bad-templates.yaml")];
      },
    ],
    [
      "inputs with no record ([])",
      (dir) => {
        writeFileSync(path.join(dir, "empty.json"), "[]\n");
        return [path.join(dir, "empty.json")];
      },
    ],
  ];
  for (const [name, argsFor] of cases) {
    it(name, async () => {
      const dir = folderWithReports("r.json", "r.html");
      const result = await runChildCli([
        ...argsFor(dir),
        "-f",
        `json=${path.join(dir, "r.json")}`,
        "-f",
        `html=${path.join(dir, "r.html")}`,
      ]);
      expect(result.code).toBe(2);
      expectUntouched(dir, "r.json", "r.html");
      // A run that could not be done shows no success mark anywhere.
      expect(result.stdout + result.stderr).not.toMatch(/✔/);
    });
  }

  it("[] printed to the terminal: no success mark, exit 2", async () => {
    const dir = folderWithReports();
    writeFileSync(path.join(dir, "empty.json"), "[]\n");
    const result = await runChildCli([path.join(dir, "empty.json")]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^✖ 审核 0 个商品/m);
    expect(result.stdout + result.stderr).not.toMatch(/✔/);
  });
});

describe("an output that names a file the run reads is refused before anything is written", () => {
  const cases: Array<[string, (dir: string) => string[], RegExp]> = [
    [
      "an input file with -o",
      (dir) => [path.join(dir, "listings.json"), "-t", TEMPLATES, "-f", "json", "-o", path.join(dir, "listings.json")],
      /listings\.json 同时是输入文件/,
    ],
    [
      "an input file with -f json=, by a relative path",
      () => ["listings.json", "-t", TEMPLATES, "-f", "json=./listings.json"],
      /同时是输入文件/,
    ],
    [
      "an input file through a symbolic link",
      (dir) => [path.join(dir, "listings.json"), "-t", TEMPLATES, "-f", `csv=${path.join(dir, "link.json")}`],
      /link\.json 同时是输入文件/,
    ],
    [
      "the baseline",
      (dir) => [
        path.join(dir, "listings.json"),
        "-t",
        TEMPLATES,
        "--baseline",
        path.join(dir, "b.json"),
        "-f",
        `json=${path.join(dir, "b.json")}`,
      ],
      /同时是--baseline 基线文件/,
    ],
  ];
  for (const [name, argsFor, message] of cases) {
    it(name, async () => {
      const dir = folderWithReports("b.json");
      copyFileSync(LISTINGS, path.join(dir, "listings.json"));
      symlinkSync(path.join(dir, "listings.json"), path.join(dir, "link.json"));
      const before = readFileSync(LISTINGS, "utf8");
      const result = await runChildCli(argsFor(dir), { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/未写入任何文件/);
      expect(result.stdout).toBe("");
      expect(readFileSync(path.join(dir, "listings.json"), "utf8")).toBe(before);
      expectUntouched(dir, "b.json");
    });
  }
});

describe("standard output that goes away or fills up", () => {
  it("… | a reader that exits early: the run ends quietly with 141", async () => {
    // About 2 MB of text report: far more than a pipe holds, so the writer meets the closed pipe.
    const records = JSON.parse(readFileSync(LISTINGS, "utf8")) as { listings: Array<{ id: string }> };
    const lines: string[] = [];
    for (let copy = 0; copy < 150; copy++)
      for (const r of records.listings) lines.push(JSON.stringify({ ...r, id: `${r.id}-${copy}` }));
    const file = path.join(tmp, "many.jsonl");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const err = path.join(tmp, "epipe.stderr");
    const status = path.join(tmp, "epipe.status");
    const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;
    // A real pipe between two processes, as the shell makes for `listing-audit … | head -n 1`: the
    // reader takes one chunk and exits; the test holds neither end.
    const audit = [process.execPath, BIN, file, "-t", TEMPLATES].map(quote).join(" ");
    const reader = [process.execPath, "-e", "process.stdin.once('data', () => process.exit(0))"].map(quote).join(" ");
    const shell = spawn("sh", ["-c", `(${audit} 2>${quote(err)}; echo $? >${quote(status)}) | ${reader}`], {
      stdio: "ignore",
    });
    expect(await new Promise((resolve) => shell.on("exit", resolve))).toBe(0);
    expect(readFileSync(err, "utf8")).toBe("");
    expect(readFileSync(status, "utf8").trim()).toBe("141");
  });

  it.skipIf(!existsSync("/dev/full"))(
    "a full device (ENOSPC): a clear message and exit 2, no stack trace",
    async () => {
      const full = openSync("/dev/full", "w");
      try {
        const result = await runChildCli([LISTINGS, "-t", TEMPLATES], { stdio: ["ignore", full, "pipe"] });
        expect(result.code).toBe(2);
        expect(result.stderr).toBe(
          "listing-audit: 写入标准输出失败：磁盘空间不足（ENOSPC）；报告没有写完，原有的报告文件保持不变\n",
        );
      } finally {
        closeSync(full);
      }
    },
  );
});

describe("option values that cannot work are option errors (exit 2), never a crash", () => {
  const huge = "9".repeat(400);
  const cases: Array<[string, string[], RegExp]> = [
    ["--max-pages with 400 digits", [LISTINGS, "--max-pages", huge], /--max-pages 太大/],
    ["--delay with 400 digits", [LISTINGS, "--delay", huge], /--delay 太大/],
    ["--threads above the bound", [LISTINGS, "--threads", "17"], /--threads 最多 16（写的是 17）/],
    ["--threads far above the bound", [LISTINGS, "--threads", "200"], /--threads 最多 16/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const result = await runChildCli(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    });
  }

  it("--threads 16 is accepted", async () => {
    const result = await runChildCli([LISTINGS, "-t", TEMPLATES, "--threads", "16", "-f", "json"]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).summary.listings).toBe(33);
  });

  it("--save-pages naming an existing file", async () => {
    const file = path.join(tmp, "pages.txt");
    writeFileSync(file, "not a folder\n");
    const result = await runChildCli(["http://127.0.0.1:9/", "--save-pages", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--save-pages .*pages\.txt 是一个文件，不是文件夹/);
    expect(readFileSync(file, "utf8")).toBe("not a folder\n");
    // A file on the way to the folder.
    const below = await runChildCli(["http://127.0.0.1:9/", "--save-pages", path.join(file, "saved")]);
    expect(below.code).toBe(2);
    expect(below.stderr).toMatch(/pages\.txt\/saved 无法写入：路径中有一段不是文件夹（ENOTDIR）\n$/);
    expect(below.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});

describe("every report in a file", () => {
  it("prints the summary and the files written on stderr", async () => {
    const dir = folderWithReports();
    const result = await runChildCli([LISTINGS, "-t", TEMPLATES, "-f", "html=r.html", "-f", "json=r.json"], {
      cwd: dir,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /^✖ 审核 33 个商品：\d+ 个问题（错误 \d+，警告 \d+，提示 \d+），输入问题 0 个，跳过 0 条\n已写入 r\.html、r\.json\n$/,
    );
    expect(readFileSync(path.join(dir, "r.html"), "utf8")).toMatch(/<\/html>\n$/);
  });

  it("in English with --lang en; nothing with --quiet", async () => {
    const dir = folderWithReports();
    const en = await runChildCli([LISTINGS, "-t", TEMPLATES, "-f", "html=r.html", "--lang", "en"], { cwd: dir });
    expect(en.stderr).toMatch(/^✖ 33 listings audited: .*\nwrote r\.html\n$/);
    const quiet = await runChildCli([LISTINGS, "-t", TEMPLATES, "-f", "html=r.html", "--quiet"], { cwd: dir });
    expect(quiet.stderr).toBe("");
    expect(quiet.code).toBe(1);
  });
});

describe("reports written into the audited folder", () => {
  it("are not read back as inputs, on this run or the next", async () => {
    const dir = folderWithReports();
    const shop = path.join(dir, "shop");
    mkdirSync(shop);
    copyFileSync(LISTINGS, path.join(shop, "listings.json"));
    for (const file of readdirSync(TEMPLATES)) copyFileSync(path.join(TEMPLATES, file), path.join(shop, file));
    const formats = ["json", "html", "csv", "markdown", "sarif", "junit"].flatMap((f) => [
      "-f",
      `${f}=shop/report.${f}`,
    ]);
    for (const attempt of [1, 2]) {
      const result = await runChildCli(["shop", ...formats, "--fail-on", "never", "--max-problems", "0"], { cwd: dir });
      expect(result.code, `run ${attempt}: ${result.stderr}`).toBe(0);
      const report = JSON.parse(readFileSync(path.join(shop, "report.json"), "utf8"));
      expect(report.problems).toEqual([]);
      expect(report.summary.listings).toBe(33);
    }
  });
});
