import { stat } from "node:fs/promises";
import path from "node:path";
import type { Writable } from "node:stream";
import { FORMAT_NAMES, isFormatName, reporters, type FormatName } from "../report/index.js";
import { OutputWriteError, type AuditOutput } from "../audit.js";
import { openAtomicFile, type AtomicFile } from "../util/atomic-file.js";
import type { InputRole } from "./output-messages.js";

/** One report to write: a format and its file, or standard output. */
export interface OutputTarget {
  format: FormatName;
  file?: string;
}

/**
 * Turns `-f name[=file]` (repeatable) and `-o file` into targets. `-o` names the file of the one format
 * given without `=file`; two such formats with `-o`, or two for standard output, cannot be written.
 */
export function planOutputs(
  formats: readonly string[],
  output: string | undefined,
): { ok: true; value: OutputTarget[] } | { ok: false; message: string } {
  const targets: OutputTarget[] = [];
  for (const spec of formats.length > 0 ? formats : ["text"]) {
    const eq = spec.indexOf("=");
    const name = eq < 0 ? spec : spec.slice(0, eq);
    const file = eq < 0 ? undefined : spec.slice(eq + 1);
    if (!isFormatName(name))
      return { ok: false, message: `unknown format "${name}" (expected one of ${FORMAT_NAMES.join(", ")})` };
    if (file === "") return { ok: false, message: `-f ${name}= needs a file name after "="` };
    targets.push(file === undefined ? { format: name } : { format: name, file });
  }
  const unfiled = targets.filter((t) => t.file === undefined);
  if (output !== undefined) {
    if (unfiled.length !== 1) {
      return {
        ok: false,
        message:
          unfiled.length === 0
            ? "-o names the file for a -f given without =file, and every -f has its own file"
            : `-o names the file for one -f given without =file, but ${unfiled.length} were given (${unfiled.map((t) => t.format).join(", ")})`,
      };
    }
    unfiled[0]!.file = output;
  } else if (unfiled.length > 1) {
    return {
      ok: false,
      message: `only one format can go to standard output (got ${unfiled.map((t) => t.format).join(", ")}); write the others with name=file`,
    };
  }
  const files = targets.flatMap((t) => (t.file === undefined ? [] : [t.file]));
  const duplicate = files.find((f, i) => files.indexOf(f) !== i);
  if (duplicate !== undefined)
    return { ok: false, message: `two formats cannot write to the same file "${duplicate}"` };
  return { ok: true, value: targets };
}

/** Opened outputs: the files among them are written atomically and appear only on `commit`. */
export interface OpenedOutputs {
  outputs: AuditOutput[];
  /** Puts every file in place (the run is complete). */
  commit(): Promise<void>;
  /** Removes every temporary file; files of an earlier run are left as they were. Safe after `commit`. */
  abort(): Promise<void>;
}

/**
 * Opens the target files (failing early on an unwritable path) and creates a fresh reporter for each
 * target. Each file is written to a temporary file next to it, so a run that fails or is interrupted
 * leaves the previous report untouched.
 */
export async function openOutputs(
  targets: readonly OutputTarget[],
  cwd: string,
  stdout: Writable,
  stdoutColor: boolean,
): Promise<{ ok: true; value: OpenedOutputs } | { ok: false; file: string; code: string }> {
  const files: AtomicFile[] = [];
  const fileTargets: string[] = [];
  const outputs: AuditOutput[] = [];
  const abort = async (): Promise<void> => {
    await Promise.all(files.map((file) => file.abort()));
  };
  for (const target of targets) {
    const reporter = reporters[target.format]();
    if (target.file === undefined) {
      outputs.push({ reporter, stream: stdout, color: stdoutColor });
      continue;
    }
    let file: AtomicFile;
    try {
      file = await openAtomicFile(path.resolve(cwd, target.file));
    } catch (error) {
      await abort();
      return { ok: false, file: target.file, code: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
    }
    files.push(file);
    fileTargets.push(target.file);
    outputs.push({ reporter, stream: file.stream, color: false, name: target.file });
  }
  return {
    ok: true,
    value: {
      outputs,
      abort,
      commit: async () => {
        // One by one: a failed one leaves the rest uncommitted, and the caller aborts them.
        for (const [i, file] of files.entries()) {
          await file.commit().catch((error: unknown) => {
            throw new OutputWriteError(fileTargets[i], (error as NodeJS.ErrnoException).code, { cause: error });
          });
        }
      },
    },
  };
}

/** A file the run reads, named on the command line or by the config, that no output may overwrite. */
export interface ReadFile {
  file: string;
  role: InputRole;
}

/**
 * The first output target that would overwrite a file the run reads (the same path, or the same file
 * through a link), checked before anything is opened. Outputs that a folder or glob among the inputs
 * would find are not refused: the walk leaves them out.
 */
export async function findOutputOverwritingInput(
  targets: readonly OutputTarget[],
  reads: readonly ReadFile[],
  cwd: string,
): Promise<{ file: string; role: InputRole } | undefined> {
  const identities = await Promise.all(
    reads.map(async (read) => ({ ...read, ...(await identify(path.resolve(cwd, read.file))) })),
  );
  for (const target of targets) {
    if (target.file === undefined) continue;
    const output = await identify(path.resolve(cwd, target.file));
    const clash = identities.find(
      (read) => read.absolute === output.absolute || (output.inode !== undefined && read.inode === output.inode),
    );
    if (clash) return { file: target.file, role: clash.role };
  }
  return undefined;
}

async function identify(absolute: string): Promise<{ absolute: string; inode?: string }> {
  try {
    const s = await stat(absolute);
    return s.isFile() ? { absolute, inode: `${s.dev}:${s.ino}` } : { absolute };
  } catch {
    return { absolute };
  }
}
