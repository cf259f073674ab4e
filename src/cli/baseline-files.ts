import { stat } from "node:fs/promises";
import path from "node:path";
import {
  baselineMessages,
  readKnownFindings,
  readPreviousReport,
  writeBaselineFile,
  type Baseline,
  type KnownFindings,
  type PreviousReport,
} from "../baseline/index.js";
import type { Lang } from "../model.js";
import type { Result } from "../util/result.js";

/** A baseline to apply (none while one is being written from scratch), and what the user should know about it. */
export interface BaselineOption {
  known?: KnownFindings;
  note?: string;
}

const NOTHING_KNOWN: KnownFindings = { has: () => false, size: 0 };

/**
 * `--baseline <file>`: the known findings, read streaming (only fingerprints are kept). A missing file is
 * an empty baseline — the first CI run, before anyone ran --update-baseline — and a note says so. A file
 * that is there but is not a baseline is an error, except with `--update-baseline`, which replaces it.
 */
export async function loadBaselineOption(
  file: string,
  updating: boolean,
  cwd: string,
  lang: Lang,
): Promise<Result<BaselineOption>> {
  const m = baselineMessages(lang);
  const absolute = path.resolve(cwd, file);
  const missing = await stat(absolute).then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === "ENOENT",
  );
  if (missing) return { ok: true, value: updating ? {} : { known: NOTHING_KNOWN, note: m.missingBaseline(file) } };
  const known = await readKnownFindings(absolute, lang, file);
  if (known.ok) return { ok: true, value: { known: known.value } };
  if (updating) return { ok: true, value: { note: m.invalidBaselineReplaced(file) } };
  return known;
}

/** `--compare <previous.json>`: a previous `-f json` report, validated while it streams by. */
export async function loadPreviousReport(file: string, cwd: string, lang: Lang): Promise<Result<PreviousReport>> {
  return readPreviousReport(path.resolve(cwd, file), lang, file);
}

/** `--update-baseline`: writes the file atomically (sorted, stable: a baseline under version control diffs cleanly). */
export async function saveBaseline(file: string, baseline: Baseline, cwd: string, lang: Lang): Promise<Result<void>> {
  try {
    await writeBaselineFile(path.resolve(cwd, file), baseline);
    return { ok: true, value: undefined };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { ok: false, errors: [{ file, key: "", message: baselineMessages(lang).cannotWrite(code) }] };
  }
}
