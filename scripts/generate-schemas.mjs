#!/usr/bin/env node
// Writes schemas/*.json from the zod schemas the loaders validate with (src/config/json-schemas.ts).
// Run after a build: `npm run build && node scripts/generate-schemas.mjs`; `--check` only compares and
// exits 1 when a committed file is out of date.
import { readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const { renderJsonSchemas } = await import(new URL("../dist/config/json-schemas.js", import.meta.url).href);
const check = process.argv.includes("--check");
const dir = path.join(root, "schemas");
await mkdir(dir, { recursive: true });
let stale = 0;
for (const { file, text } of renderJsonSchemas()) {
  const target = path.join(dir, file);
  const current = await readFile(target, "utf8").catch(() => undefined);
  if (current === text) continue;
  if (check) {
    stale += 1;
    console.error(`schemas/${file} is out of date: run node scripts/generate-schemas.mjs`);
  } else {
    await writeFile(target, text);
    console.log(`wrote schemas/${file}`);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
