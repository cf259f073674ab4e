import { describe, expect, test } from "vitest";
import { loadExportColumns, parseColumnMaps } from "../src/sources/column-maps/load-column-maps.js";

const MAPPING =
  "mappings:\n  - name: mine\n    description: mine\n    required: [title]\n    minColumns: 1\n    columns:\n      title: [标题]\n";

describe("column mapping data", () => {
  test("the bundled mappings share the fields' units", () => {
    const maps = loadExportColumns();
    expect(maps.length).toBeGreaterThan(1);
    for (const map of maps) expect(map.units.price).toContain("元");
  });

  test("units for a field that does not exist are refused, located by file, line and key", () => {
    const result = parseColumnMaps(`units:\n  prize: [元]\n${MAPPING}`, "exports.yaml");
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors[0]).toMatchObject({
        file: "exports.yaml",
        line: 2,
        key: "units",
        message: expect.stringContaining("prize"),
      });
  });

  test("a file without units gives every mapping none", () => {
    const result = parseColumnMaps(MAPPING, "exports.yaml");
    expect(result.ok && result.value.map((m) => m.units)).toEqual([{}]);
  });
});
