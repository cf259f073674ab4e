// Benchmarks measure the BUILT library (../dist), the code users run; this loads a module from it or
// stops with the command that builds it.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const DIST = path.join(ROOT, "dist");
const SRC = path.join(ROOT, "src");

/** Imports `dist/<relative>`; exits with code 2 and a hint when the build is missing. */
export async function importDist(relative) {
  const file = path.join(DIST, relative);
  if (!existsSync(file)) {
    console.error(`${path.relative(process.cwd(), file) || file} is missing: run \`npm run build\` first`);
    process.exit(2);
  }
  return import(pathToFileURL(file).href);
}

/** True when a source file is newer than the build, so the figures would describe old code. */
export function isBuildStale() {
  const built = path.join(DIST, "index.js");
  if (!existsSync(built) || !existsSync(SRC)) return false;
  return newestModification(SRC) > statSync(built).mtimeMs;
}

function newestModification(folder) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    const time = entry.isDirectory() ? newestModification(full) : statSync(full).mtimeMs;
    if (time > newest) newest = time;
  }
  return newest;
}
