import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { openAtomicFile, writeFileAtomic } from "../src/util/atomic-file.js";
import { ROOT } from "./helpers/child-cli.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "atomic-file-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let count = 0;
function folder(): string {
  const dir = path.join(tmp, `d${count++}`);
  mkdirSync(dir);
  return dir;
}

describe("openAtomicFile", () => {
  it("writes to a temporary dot-file next to the target, and commit puts it in place", async () => {
    const dir = folder();
    writeFileSync(path.join(dir, "r.json"), "old");
    const file = await openAtomicFile(path.join(dir, "r.json"));
    file.stream.write("new");
    const during = readdirSync(dir);
    expect(during).toHaveLength(2);
    expect(during.find((f) => f !== "r.json")).toMatch(/^\.r\.json\.\d+-[0-9a-f]+\.tmp$/);
    expect(readFileSync(path.join(dir, "r.json"), "utf8")).toBe("old");
    await file.commit();
    expect(readFileSync(path.join(dir, "r.json"), "utf8")).toBe("new");
    expect(readdirSync(dir)).toEqual(["r.json"]);
  });

  it("abort leaves the old file as it was and removes the temporary one; repeated, it is harmless", async () => {
    const dir = folder();
    writeFileSync(path.join(dir, "r.json"), "old");
    const file = await openAtomicFile(path.join(dir, "r.json"));
    file.stream.write("partial");
    await file.abort();
    await file.abort();
    expect(readFileSync(path.join(dir, "r.json"), "utf8")).toBe("old");
    expect(readdirSync(dir)).toEqual(["r.json"]);
  });

  it("keeps an existing file's permission bits", async () => {
    const dir = folder();
    writeFileSync(path.join(dir, "r.json"), "old");
    chmodSync(path.join(dir, "r.json"), 0o640);
    await writeFileAtomic(path.join(dir, "r.json"), "new");
    expect(statSync(path.join(dir, "r.json")).mode & 0o777).toBe(0o640);
  });

  it("fails before writing anything when the folder does not exist", async () => {
    await expect(openAtomicFile(path.join(tmp, "missing", "r.json"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("writeFileAtomic writes the whole text", async () => {
    const dir = folder();
    const text = "基线\n".repeat(100_000);
    await writeFileAtomic(path.join(dir, "baseline.json"), text);
    expect(readFileSync(path.join(dir, "baseline.json"), "utf8")).toBe(text);
    expect(readdirSync(dir)).toEqual(["baseline.json"]);
  });

  it("a process that exits before commit leaves the old file and no temporary file", () => {
    const dir = folder();
    writeFileSync(path.join(dir, "r.json"), "old");
    const module = pathToFileURL(path.join(ROOT, "dist/util/atomic-file.js")).href;
    const script = `const { openAtomicFile } = await import(${JSON.stringify(module)});
      const file = await openAtomicFile(${JSON.stringify(path.join(dir, "r.json"))});
      file.stream.write("partial", () => process.exit(3));`;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(child.stderr).toBe("");
    expect(child.status).toBe(3);
    expect(readFileSync(path.join(dir, "r.json"), "utf8")).toBe("old");
    expect(readdirSync(dir)).toEqual(["r.json"]);
  });
});
