import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import type { RegionCatalogue, RegionCode, ShippingTemplate } from "../src/model.js";
import { loadRegionCatalogue } from "../src/regions/load-regions.js";
import { evaluateRegionFee, findPaidQuantity, parseTemplates } from "../src/templates/index.js";

const regions: RegionCatalogue = await (async () => {
  const r = await loadRegionCatalogue();
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
})();

const order = { price: z.number().optional(), weight: z.number().optional(), volume: z.number().optional() };
const caseSchema = z.strictObject({
  name: z.string(),
  template: z.record(z.string(), z.unknown()).optional(),
  top: z.record(z.string(), z.unknown()).optional(),
  fees: z
    .array(
      z.strictObject({ region: z.string(), quantity: z.number(), ...order, expect: z.record(z.string(), z.unknown()) }),
    )
    .default([]),
  paid: z
    .array(
      z.strictObject({
        region: z.string(),
        from: z.number().optional(),
        ...order,
        expect: z.record(z.string(), z.unknown()),
      }),
    )
    .default([]),
});
const cases = z
  .array(caseSchema)
  .parse(parse(readFileSync(new URL("cases/templates/fees.yaml", import.meta.url), "utf8")));

function loadCase(c: z.output<typeof caseSchema>): ShippingTemplate {
  const text = JSON.stringify(c.top ?? { templates: [c.template] });
  const parsed = parseTemplates(text, "case.json", regions);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const [template] = parsed.value.templates;
  if (!template) throw new Error(`${c.name}: no template`);
  return template;
}

function code(term: string): RegionCode {
  const codes = regions.resolve(term);
  if (codes?.length !== 1) throw new Error(`not one region: ${term}`);
  return codes[0] as RegionCode;
}

/** The result with its row shown by label, so case files can name rows the way merchants do. */
function summarise(result: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...result };
  if ("row" in result) out.row = (result.row as { label: string }).label;
  return out;
}

describe.each(cases)("$name", (c) => {
  const template = loadCase(c);
  it.each(c.fees.map((f) => [`${f.region} ×${f.quantity}`, f] as const))("fee %s", (_, f) => {
    const fee = evaluateRegionFee(template, code(f.region), {
      quantity: f.quantity,
      price: f.price,
      weight: f.weight,
      volume: f.volume,
    });
    expect(summarise(fee)).toMatchObject(f.expect);
  });
  it.each(c.paid.map((p) => [`${p.region} from ${p.from ?? 1}`, p] as const))("paid quantity %s", (_, p) => {
    const paid = findPaidQuantity(
      template,
      code(p.region),
      { price: p.price, weight: p.weight, volume: p.volume },
      p.from,
    );
    expect(summarise(paid)).toMatchObject(p.expect);
  });
});

describe("arguments", () => {
  const template = loadCase(cases[0] as z.output<typeof caseSchema>);
  it.each([0, -1, 1.5, Number.NaN])("rejects quantity %s", (quantity) => {
    expect(() => evaluateRegionFee(template, "110000", { quantity })).toThrow(TypeError);
    expect(() => findPaidQuantity(template, "110000", {}, quantity)).toThrow(TypeError);
  });
});

describe("findPaidQuantity is exact", () => {
  const schedule = fc.record({
    first: fc.integer({ min: 0, max: 6 }),
    firstFee: fc.constantFrom(0, 0, 3),
    next: fc.integer({ min: 1, max: 4 }),
    nextFee: fc.constantFrom(0, 0, 2),
  });
  const arbitraryTemplate = fc.record({
    valuation: fc.constantFrom("piece", "weight"),
    default: schedule,
    rows: fc.array(fc.record({ areas: fc.subarray(["新疆", "西藏", "650100"], { minLength: 1 }), schedule }), {
      maxLength: 3,
    }),
    freeWhen: fc.array(
      fc.record({
        minQuantity: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
        minAmount: fc.option(fc.constantFrom(50, 99, 200), { nil: undefined }),
      }),
      { maxLength: 2 },
    ),
  });

  it("agrees with a scan of every quantity up to a bound past all thresholds", () => {
    fc.assert(
      fc.property(
        arbitraryTemplate,
        fc.constantFrom(undefined, 9.9, 30),
        fc.constantFrom(0.5, 1.5),
        fc.integer({ min: 1, max: 5 }),
        (t, price, weight, from) => {
          const seen = new Set<string>();
          const rows = t.rows
            .map((r) => ({ areas: r.areas.filter((a) => !seen.has(a) && seen.add(a)), ...r.schedule }))
            .filter((r) => r.areas.length > 0);
          const freeWhen = t.freeWhen
            .filter((f) => f.minQuantity !== undefined || f.minAmount !== undefined)
            .map((f) => ({ areas: ["全国"], ...f }));
          const text = JSON.stringify({
            templates: [{ id: "P", valuation: t.valuation, default: t.default, regions: rows, freeWhen }],
          });
          const parsed = parseTemplates(text, "p.json", regions);
          if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
          const template = parsed.value.templates[0] as ShippingTemplate;
          for (const region of ["650000", "540000", "110000"]) {
            const paid = findPaidQuantity(template, region, { price, weight }, from);
            let scanned: number | undefined;
            // Every threshold above is at most 200 yuan / 9.9 yuan < 30 or 12 / 0.5 units: 60 is past all of them.
            for (let q = from; q <= 60 && scanned === undefined; q++) {
              if (evaluateRegionFee(template, region, { quantity: q, price, weight }).status === "charged") scanned = q;
            }
            if (paid.kind === "charged") expect(paid.quantity).toBe(scanned);
            else expect([paid.kind, scanned]).toEqual(["free", undefined]);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
