// Runs every benchmark listed below, one after another, each in its own process so that peak memory
// figures do not mix. Arguments are passed on: `npm run bench -- --scale 0.1`.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BENCHES = ["export-audit.mjs"];

const here = path.dirname(fileURLToPath(import.meta.url));
let failed = 0;
for (const bench of BENCHES) {
  console.log(`\n▶ ${bench}`);
  const run = spawnSync(process.execPath, [path.join(here, bench), ...process.argv.slice(2)], { stdio: "inherit" });
  if (run.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
