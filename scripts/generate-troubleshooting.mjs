#!/usr/bin/env node
// Writes docs/troubleshooting.md and docs/troubleshooting.zh.md from the problem catalogue
// (src/problems/catalogue.ts). Run after a build: `npm run docs:troubleshooting`; `--check` only compares and
// exits 1 when a committed page is out of date (test/problem-catalogue.test.ts checks the same from src/).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const dist = (file) => import(new URL(`../dist/${file}`, import.meta.url).href);
const { renderTroubleshooting, TROUBLESHOOTING_FILES } = await dist("problems/troubleshooting.js");
const { writeFileAtomic } = await dist("util/atomic-file.js");
const check = process.argv.includes("--check");
let stale = 0;
for (const [lang, file] of Object.entries(TROUBLESHOOTING_FILES)) {
  const target = path.join(root, "docs", file);
  const text = renderTroubleshooting(lang);
  const current = await readFile(target, "utf8").catch(() => undefined);
  if (current === text) continue;
  if (check) {
    stale += 1;
    console.error(`docs/${file} is out of date: run npm run docs:troubleshooting`);
  } else {
    await writeFileAtomic(target, text);
    console.log(`wrote docs/${file}`);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
