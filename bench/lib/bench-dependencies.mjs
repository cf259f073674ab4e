// Bench-only dependencies (bench/package.json) stay out of the product's; run.js installs them from
// bench/package-lock.json when they are missing.
import { existsSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./dist-library.mjs";

export const BENCH_DIR = path.join(ROOT, "bench");
export const BENCH_MODULES = path.join(BENCH_DIR, "node_modules");

/** The packages each benchmark needs from bench/node_modules. */
export const NEEDS = { parser: ["mint-filter"], crawl: ["crawlee"], xlsx: ["exceljs"], serve: ["autocannon"] };

/** The packages among `names` that are not installed in bench/node_modules. */
export function missingPackages(names) {
  return names.filter((name) => !existsSync(path.join(BENCH_MODULES, name, "package.json")));
}
