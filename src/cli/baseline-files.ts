import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { formatBaseline, parseBaseline, parsePreviousReport, type Baseline, type PreviousReport } from "../baseline/index.js";
import type { Result } from "../util/result.js";

/**
 * `--baseline <file>`: the known findings. A missing file is an error, except with `--update-baseline`,
 * which creates it (then there is nothing known yet: undefined).
 */
export async function loadBaselineOption(file: string, updating: boolean, cwd: string): Promise<Result<Baseline | undefined>> {
  const text = await readText(file, cwd);
  if (!text.ok) return updating && text.missing ? { ok: true, value: undefined } : { ok: false, errors: text.errors };
  return parseBaseline(text.value, file);
}

/** `--compare <previous.json>`: a previous `-f json` report, validated. */
export async function loadPreviousReport(file: string, cwd: string): Promise<Result<PreviousReport>> {
  const text = await readText(file, cwd);
  return text.ok ? parsePreviousReport(text.value, file) : { ok: false, errors: text.errors };
}

/** `--update-baseline`: writes the file (sorted, stable: a baseline under version control diffs cleanly). */
export async function saveBaseline(file: string, baseline: Baseline, cwd: string): Promise<Result<void>> {
  try {
    await writeFile(path.resolve(cwd, file), formatBaseline(baseline), "utf8");
    return { ok: true, value: undefined };
  } catch (error) {
    return { ok: false, errors: [{ file, key: "", message: `cannot write: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }] };
  }
}

type TextRead = { ok: true; value: string } | { ok: false; missing: boolean; errors: [{ file: string; key: string; message: string }] };

async function readText(file: string, cwd: string): Promise<TextRead> {
  try {
    return { ok: true, value: (await readFile(path.resolve(cwd, file), "utf8")).replace(/^\uFEFF/, "") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, missing: code === "ENOENT", errors: [{ file, key: "", message: `cannot read: ${code ?? (error as Error).message}` }] };
  }
}
