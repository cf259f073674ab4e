// The generated export and its templates live in the system temp folder only while a benchmark runs:
// removed afterwards, also when the run is interrupted, because a full-scale export is about 5 GB.
import { rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { generateExport, SHOP_TEMPLATES_YAML, TEMPLATES_YAML } from "../generate-export.mjs";

/**
 * Generates `count` listings (and, with `warmUpCount`, a small export to warm up on), runs
 * `use({ generated, templates, warmUp? })`, then removes the files. `dense`: the stress-case pages
 * (see denseDescriptionHtml) instead of detail pages; `shop`: one of the listing-cost benchmark's shops.
 */
export async function withGeneratedExport(count, use, { warmUpCount, dense = false, shop } = {}) {
  const templates = path.join(os.tmpdir(), `listing-audit-bench-${process.pid}-templates.yaml`);
  const file = path.join(os.tmpdir(), `listing-audit-bench-${process.pid}.csv`);
  const warmUpFile = path.join(os.tmpdir(), `listing-audit-bench-${process.pid}-warm-up.csv`);
  const files = [templates, file, warmUpFile];
  const remove = () => {
    for (const file of files) rmSync(file, { force: true });
  };
  const interrupted = (signal) => {
    remove();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    writeFileSync(templates, shop ? SHOP_TEMPLATES_YAML : TEMPLATES_YAML);
    const started = performance.now();
    const result = await generateExport({ count, file, dense, shop });
    if (result.count === 0) throw new Error(`not enough free disk in ${os.tmpdir()} for a single listing`);
    console.log(
      `export: ${result.count} listings, ${(result.bytes / 2 ** 20).toFixed(0)} MiB UTF-16LE + TAB (titles: ${result.titles}, pages: ${result.pages}), ` +
        `generated in ${((performance.now() - started) / 1000).toFixed(1)} s in ${os.tmpdir()}`,
    );
    const warmUp = warmUpCount
      ? await generateExport({ count: warmUpCount, file: warmUpFile, dense, shop })
      : undefined;
    return await use({ generated: result, templates, ...(warmUp ? { warmUp } : {}) });
  } finally {
    remove();
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  }
}

/**
 * The full audit as users run it: the library's `audit()` over the export with the JSON reporter,
 * whose output goes to a stream that discards it (counting bytes, so the reporting work is done).
 * `options` go to `audit()` as they are (`{ threads: 0 }`).
 */
export async function auditExport(library, file, templates, options = {}) {
  let reportBytes = 0;
  const discard = new Writable({
    write(chunk, _encoding, done) {
      reportBytes += chunk.length;
      done();
    },
  });
  const result = await library.audit({
    inputs: [path.basename(file)],
    cwd: path.dirname(file),
    templates: [templates],
    outputs: [{ reporter: library.reporters.json(), stream: discard }],
    ...options,
  });
  if (!result.ok)
    throw new Error(
      `the audit could not run: ${result.errors
        .slice(0, 3)
        .map((e) => `${e.file} ${e.key} ${e.message}`)
        .join("; ")}`,
    );
  const { summary } = result.value;
  return { listings: summary.listings, findings: summary.findings, problems: summary.problems, reportBytes };
}

/** The fields every export benchmark's results entry starts with: what was run, where and on what. */
export function exportResultHeader(bench, { machine, scale, requested, generated }) {
  return {
    bench,
    date: new Date().toISOString(),
    machine,
    scale,
    listings: generated.count,
    requested,
    ...(generated.scaledDown === undefined ? {} : { scaledDownFrom: generated.scaledDown }),
    exportBytes: generated.bytes,
    pages: generated.pages,
  };
}
