import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { FeeSchedule, RegionCatalogue } from "../src/model.js";
import { loadRegionCatalogue } from "../src/regions/load-regions.js";
import { evaluateRegionFee, parseTemplates } from "../src/templates/index.js";
import { findPayingQuantity } from "../src/templates/fee-schedule.js";
import { describeOutOfRange, WEIGHT_RANGE } from "../src/util/number-limits.js";
import { unwrap } from "./helpers/bundled-data.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const BIN = path.join(ROOT, "bin/listing-audit.js");
// Hang guards, not speed tests: before the fix these never ended.
const HANG_GUARD_MS = 60_000;

const regions: RegionCatalogue = unwrap(await loadRegionCatalogue());

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "listing-audit-fee-bounds-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const FREE_FIRST_KG = {
  templates: [{ id: "W", valuation: "weight", default: { first: 1, firstFee: 0, next: 1, nextFee: 5 } }],
};

/** The CLI as a child process (dist/, built by `npm run build`), killed if it outlives the guard. */
function audit(args: string[]) {
  const child = spawnSync(process.execPath, [BIN, ...args, "-f", "json", "--quiet"], {
    cwd: dir,
    encoding: "utf8",
    timeout: HANG_GUARD_MS,
  });
  return { code: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr };
}

describe("findPayingQuantity", () => {
  /** The definition: the first q ≥ from whose units pass `first`, found by stepping (only for small answers). */
  function stepUp(schedule: FeeSchedule, units: number, from: number): number {
    for (let q = from; q < 1e7; q++) if (Math.ceil((q * units - schedule.first) / schedule.next - 1e-9) >= 1) return q;
    return Infinity;
  }

  test.each([
    [{ first: 1, firstFee: 0, next: 1, nextFee: 5 }, 0.1, 1],
    [{ first: 1, firstFee: 0, next: 1, nextFee: 5 }, 0.3, 4],
    [{ first: 3, firstFee: 0, next: 0.5, nextFee: 2 }, 0.7, 1],
    [{ first: 0.9, firstFee: 0, next: 0.1, nextFee: 2 }, 0.3, 2],
    [{ first: 10, firstFee: 0, next: 2, nextFee: 1 }, 0.000123, 7],
    [{ first: 0, firstFee: 0, next: 1, nextFee: 1 }, 2, 1],
    [{ first: 5, firstFee: 0, next: 1, nextFee: 1 }, 5, 1],
  ])("%j at %d units per item from %d is the first paying quantity", (schedule, units, from) => {
    expect(findPayingQuantity(schedule, units, from)).toBe(stepUp(schedule, units, from));
  });

  test("a weight of 1e-16 kg, which stepping never finished, pays only past 2^53 items: never", () => {
    const child = spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { findPayingQuantity } from "./dist/templates/fee-schedule.js"; console.log(findPayingQuantity({ first: 1, firstFee: 0, next: 1, nextFee: 5 }, 1e-16, 1), findPayingQuantity({ first: 1, firstFee: 0, next: 1, nextFee: 5 }, 1e-9, 1));`,
      ],
      { cwd: ROOT, encoding: "utf8", timeout: HANG_GUARD_MS },
    );
    expect(child.signal).toBeNull();
    expect(child.stdout.trim()).toBe("Infinity 1000000001");
  });
});

describe("numbers out of their plausible range", () => {
  test("the issue's listing (weight 1e-16 against a free first kilogram) ends, audited without its weight", async () => {
    await writeFile(path.join(dir, "w.json"), JSON.stringify(FREE_FIRST_KG));
    await writeFile(
      path.join(dir, "tiny.json"),
      `[\n{"id":"T1","title":"全国包邮","templateId":"W","weight":1e-16}\n]\n`,
    );
    const r = audit(["tiny.json", "-t", "w.json"]);
    expect(r.signal).toBeNull();
    const report = JSON.parse(r.stdout) as {
      problems: Array<{ code: string; message: string; source: Record<string, unknown> }>;
      summary: { listings: number };
    };
    expect(report.summary.listings).toBe(1);
    expect(report.problems).toEqual([
      expect.objectContaining({
        code: "listing/out-of-range",
        source: { file: "tiny.json", row: 1, line: 2, field: "weight" },
      }),
    ]);
    expect(report.problems[0]?.message).toContain("1e-16 is out of range (0 or 0.000001 to 1000000 kg)");
  });

  test("listing numbers: each one out of range is its own located problem; the rest of the listing is audited", async () => {
    const record = {
      id: "R1",
      title: "包邮",
      price: 2e8,
      weight: -1,
      volume: 1e-12,
      fees: { express: 1e303, ems: 8 },
      skus: [
        { name: "红", price: 1e303 },
        { name: "蓝", price: 9 },
      ],
    };
    await writeFile(
      path.join(dir, "range.json"),
      JSON.stringify([record, { id: "R2", title: "包邮", templateId: "W", weight: 0 }]),
    );
    const r = audit(["range.json", "-t", "w.json"]);
    const report = JSON.parse(r.stdout) as {
      problems: Array<{ code: string; listingId: string; source: { field: string } }>;
      summary: { listings: number };
    };
    expect(report.summary.listings).toBe(2);
    expect(report.problems.map((p) => `${p.code} ${p.listingId} ${p.source.field}`)).toEqual([
      "listing/out-of-range R1 price",
      "listing/out-of-range R1 weight",
      "listing/out-of-range R1 volume",
      "listing/out-of-range R1 skus[0].price",
      // A flat fee becomes the listing's own template when it has none: its own check, its own code.
      "listing/invalid-fee R1 fees.express",
    ]);
    expect(r.stdout).not.toContain("Infinity");
  });

  test("a fee of 1e303 in a template (ours or Taobao Open Platform's) stops the run with its file, line and key", async () => {
    await writeFile(
      path.join(dir, "huge.yaml"),
      `templates:\n  - id: H\n    default: { first: 1, firstFee: 1e303, next: 0, nextFee: 5 }\n`,
    );
    const ours = audit(["range.json", "-t", "huge.yaml"]);
    expect(ours.code).toBe(2);
    expect(ours.stderr).toContain("templates[0].default.firstFee: 1e+303 超出范围（0 到 1000000 元）");
    expect(ours.stderr).toContain("templates[0].default.next: 必须大于 0");
    const top = {
      delivery_template_get_response: {
        delivery_templates: {
          delivery_template: [
            {
              template_id: 7,
              assumer: 0,
              valuation: 1,
              fee_list: {
                top_fee: [
                  {
                    service_type: "express",
                    destination: "1",
                    start_standard: 1,
                    start_fee: 1e303,
                    add_standard: 1e-12,
                    add_fee: 2,
                  },
                ],
              },
            },
          ],
        },
      },
    };
    await writeFile(path.join(dir, "top.json"), JSON.stringify(top, null, 1));
    const topRun = audit(["range.json", "-t", "top.json", "--lang", "en"]);
    expect(topRun.code).toBe(2);
    expect(topRun.stderr).toMatch(/start_fee: 1e\+303 is out of range \(0 to 1000000 yuan\)/);
    expect(topRun.stderr).toMatch(/add_standard: 1e-12 is out of range \(0\.000001 to 1000000 units\)/);
  });

  test("a fee too large to round to a millionth is still a number, never Infinity (library callers)", () => {
    const parsed = parseTemplates(
      JSON.stringify({ templates: [{ id: "X", default: { first: 1, firstFee: 5, next: 1, nextFee: 0 } }] }),
      "x.json",
      regions,
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const [template] = parsed.value.templates;
    if (!template) throw new Error("no template");
    const row = template.services[0]?.default;
    if (!row) throw new Error("no default row");
    row.firstFee = 1.8e302;
    const fee = evaluateRegionFee(template, regions.resolve("北京")?.[0] ?? "", { quantity: 1 });
    expect(fee).toMatchObject({ status: "charged", fee: 1.8e302 });
  });

  test.each([
    [0, undefined],
    [0.000001, undefined],
    [1_000_000, undefined],
    [0.0000009, "0.0000009 is out of range (0 or 0.000001 to 1000000 kg)"],
    [1e-16, "1e-16 is out of range (0 or 0.000001 to 1000000 kg)"],
    [-2, "-2 is out of range (0 or 0.000001 to 1000000 kg)"],
    [Infinity, "Infinity is out of range (0 or 0.000001 to 1000000 kg)"],
  ])("weight %d: %s", (value, message) => {
    expect(describeOutOfRange(value, WEIGHT_RANGE)).toBe(message);
  });
});
