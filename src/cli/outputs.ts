import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import type { Writable } from "node:stream";
import { FORMAT_NAMES, isFormatName, reporters, type FormatName } from "../report/index.js";
import type { AuditOutput } from "../audit.js";

/** One report to write: a format and its file, or standard output. */
export interface OutputTarget {
  format: FormatName;
  file?: string;
}

/**
 * Turns `-f name[=file]` (repeatable) and `-o file` into targets. `-o` names the file of the one format
 * given without `=file`; two such formats with `-o`, or two for standard output, cannot be written.
 */
export function planOutputs(formats: readonly string[], output: string | undefined): { ok: true; value: OutputTarget[] } | { ok: false; message: string } {
  const targets: OutputTarget[] = [];
  for (const spec of formats.length > 0 ? formats : ["text"]) {
    const eq = spec.indexOf("=");
    const name = eq < 0 ? spec : spec.slice(0, eq);
    const file = eq < 0 ? undefined : spec.slice(eq + 1);
    if (!isFormatName(name)) return { ok: false, message: `unknown format "${name}" (expected one of ${FORMAT_NAMES.join(", ")})` };
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
    return { ok: false, message: `only one format can go to standard output (got ${unfiled.map((t) => t.format).join(", ")}); write the others with name=file` };
  }
  const files = targets.flatMap((t) => (t.file === undefined ? [] : [t.file]));
  const duplicate = files.find((f, i) => files.indexOf(f) !== i);
  if (duplicate !== undefined) return { ok: false, message: `two formats cannot write to the same file "${duplicate}"` };
  return { ok: true, value: targets };
}

/** Opened outputs, and how to close the files among them. */
export interface OpenedOutputs {
  outputs: AuditOutput[];
  close(): Promise<void>;
}

/** Opens the target files (failing early on an unwritable path) and creates a fresh reporter for each target. */
export async function openOutputs(
  targets: readonly OutputTarget[],
  cwd: string,
  stdout: Writable,
  stdoutColor: boolean,
): Promise<{ ok: true; value: OpenedOutputs } | { ok: false; message: string }> {
  const files: WriteStream[] = [];
  const outputs: AuditOutput[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(
      files.map(async (stream) => {
        if (stream.closed) return;
        stream.end();
        await once(stream, "close");
      }),
    );
  };
  for (const target of targets) {
    const reporter = reporters[target.format]();
    if (target.file === undefined) {
      outputs.push({ reporter, stream: stdout, color: stdoutColor });
      continue;
    }
    const stream = createWriteStream(path.resolve(cwd, target.file));
    try {
      await once(stream, "open");
    } catch (error) {
      await close();
      return { ok: false, message: `cannot write ${target.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
    }
    files.push(stream);
    outputs.push({ reporter, stream, color: false });
  }
  return { ok: true, value: { outputs, close } };
}
