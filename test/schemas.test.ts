import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createStarterConfig, parseConfig } from "../src/config/index.js";
import { renderJsonSchemas } from "../src/config/json-schemas.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const generated = renderJsonSchemas();
const schemaOf = (file: string) => JSON.parse(generated.find((g) => g.file === file)!.text) as object;
const validatorFor = (file: string) => new Ajv({ allErrors: true }).compile(schemaOf(file));

describe("schemas/", () => {
  it.each(generated.map((g) => [g.file, g.text]))(
    "%s is up to date (node scripts/generate-schemas.mjs after a build)",
    async (file, text) => {
      expect(await readFile(path.join(ROOT, "schemas", file), "utf8")).toBe(text);
    },
  );

  it("the config schema accepts the starter config with every example uncommented, and rejects typos", () => {
    const validate = validatorFor("config.schema.json");
    // Example lines are commented YAML (a key or a list item); prose comments are not.
    const uncommented = createStarterConfig()
      .split("\n")
      .slice(1)
      .map((line) => line.replace(/^# (?=\s*-\s|\s*[\w$/-]+:)/, ""))
      .join("\n");
    const value = parse(uncommented) as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(
      expect.arrayContaining(["extends", "overrides", "allow", "extractors", "country", "promotions"]),
    );
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    expect(parseConfig(uncommented, "starter.yaml", path.join(ROOT, "starter.yaml")).ok).toBe(true);
    expect(validate({ platform: "amazon" })).toBe(false);
    expect(validate({ colour: true })).toBe(false);
    expect(validate({ allow: { regex: ".*" } })).toBe(false);
  });

  it("the templates schema accepts the sample templates", async () => {
    const validate = validatorFor("templates.schema.json");
    const templates = parse(await readFile(path.join(ROOT, "samples/templates/shop-templates.yaml"), "utf8"));
    expect(validate(templates), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ templates: [{ id: "T1", payer: "nobody" }] })).toBe(false);
  });

  it("the listings schema accepts the sample listings, as an object and as an array", async () => {
    const validate = validatorFor("listings.schema.json");
    const listings = JSON.parse(await readFile(path.join(ROOT, "samples/listings.json"), "utf8")) as {
      listings: unknown[];
    };
    expect(validate(listings), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(listings.listings)).toBe(true);
    expect(validate([{ id: "1", title: "t", price: "39.90", extraColumn: 1 }])).toBe(true);
    expect(validate([{ id: "1" }])).toBe(false);
  });

  it("the listings schema allows null where the loader reads it as absent, and nowhere else", () => {
    const validate = validatorFor("listings.schema.json");
    expect(
      validate([{ id: "1", title: "t", subtitle: null, price: null, fees: { express: null, ems: 0 } }]),
      JSON.stringify(validate.errors),
    ).toBe(true);
    expect(validate([{ id: null, title: "t" }])).toBe(false);
    expect(validate([{ id: "1", title: "t", skus: [{ name: null }] }])).toBe(false);
  });
});
