// The import rules are the "Modules and who may import whom" table of docs/architecture.md: one place for the
// fact, so the picture in the docs and the check in CI cannot disagree.
const { readFileSync } = require("node:fs");
const path = require("node:path");

function readLayers() {
  const doc = readFileSync(path.join(__dirname, "docs", "architecture.md"), "utf8");
  const heading = doc.indexOf("## Modules and who may import whom");
  const rows = doc
    .slice(heading)
    .split("\n")
    .filter((line) => line.startsWith("| "))
    .slice(1);
  return rows.map((row) => {
    const [name, files, , imports] = row
      .slice(2, -2)
      .split(" | ")
      .map((cell) => cell.trim());
    return {
      name,
      files: [...files.matchAll(/`([^`]+)`/g)].map((m) => m[1]),
      imports: imports === "—" ? [] : imports === "all" ? null : imports.split(/,\s*/),
    };
  });
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const pattern = (files) =>
  `^(${files.map((f) => (f.endsWith("/") ? escapeRegExp(f) : `${escapeRegExp(f)}$`)).join("|")})`;

const layers = readLayers();
const byName = new Map(layers.map((layer) => [layer.name, layer]));
const rules = layers
  .filter((layer) => layer.imports !== null)
  .map((layer) => {
    const unknown = layer.imports.filter((name) => !byName.has(name));
    if (unknown.length > 0)
      throw new Error(`docs/architecture.md: ${layer.name} may import unknown modules ${unknown}`);
    const allowed = [layer, ...layer.imports.map((name) => byName.get(name))].flatMap((l) => l.files);
    return {
      name: `layer-${layer.name}`,
      comment: `${layer.name} may import only ${layer.imports.join(", ") || "nothing"} (docs/architecture.md)`,
      severity: "error",
      from: { path: pattern(layer.files) },
      to: { path: "^src/", pathNot: pattern(allowed) },
    };
  });

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "modules import each other in a cycle",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-in-a-layer",
      comment: "every module under src/ belongs to a row of the table in docs/architecture.md",
      severity: "error",
      from: { path: "^src/", pathNot: pattern(layers.flatMap((l) => l.files)) },
      to: {},
    },
    ...rules,
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
  },
};
