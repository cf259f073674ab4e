// Checks what publint does not: every source map in the package points only at files the package ships.
// Run after `npm run build`; exits 1 and names each dangling reference.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

const [pack] = JSON.parse(
  execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { encoding: "utf8" }),
);
const shipped = new Set(pack.files.map((f) => f.path));
const maps = [...shipped].filter((f) => f.endsWith(".map"));
const dangling = [];
for (const map of maps) {
  const { sources, sourceRoot = "" } = JSON.parse(readFileSync(map, "utf8"));
  for (const source of sources) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(map), sourceRoot, source));
    if (!shipped.has(target)) dangling.push(`${map} → ${source}`);
  }
}
if (maps.length === 0) {
  console.error("check-package: the package ships no source maps; was `npm run build` run?");
  process.exit(1);
}
if (dangling.length > 0) {
  console.error(`check-package: ${dangling.length} source map references point at files the package does not ship:`);
  for (const line of dangling.slice(0, 20)) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`check-package: ${maps.length} source maps, every source shipped`);
