import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { FastifyRequest } from "fastify";
import { openAtomicFile } from "../util/atomic-file.js";
import type { StoredFile } from "./storage/runs-store.js";

/** Upload limits: bytes per file, files per run, and the text fields beside them. */
export interface UploadLimits {
  fileSize: number;
  files: number;
  fields: number;
  fieldSize: number;
}

export const UPLOAD_LIMITS: UploadLimits = { fileSize: 64 * 1024 * 1024, files: 20, fields: 10, fieldSize: 1024 };

/** Extensions kept on stored files, so readers pick the right format; anything else is refused. */
const EXPORT_EXTENSIONS = new Set([
  ".csv",
  ".tsv",
  ".txt",
  ".json",
  ".jsonl",
  ".ndjson",
  ".yaml",
  ".yml",
  ".xlsx",
  ".xls",
  ".ods",
  ".html",
  ".htm",
]);
const TEMPLATE_EXTENSIONS = new Set([".json", ".yaml", ".yml"]);

export class UploadError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly key: string,
  ) {
    super(message);
  }
}

/** An uploaded name as it may be shown: its last path part, no control characters, at most 200 characters. */
export function displayName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, "").slice(0, 200);
  return clean === "" ? "upload" : clean;
}

export interface Upload {
  fields: Record<string, string>;
  files: StoredFile[];
}

/**
 * Reads a multipart upload into `dir` (created here): files under the field `exports` or `templates`
 * are stored under generated names (`export-1.csv`), resolved inside `dir`; the uploaded names are kept
 * only for display. On any error `dir` is removed and nothing is kept.
 */
export async function receiveUpload(request: FastifyRequest, dir: string, limits: UploadLimits): Promise<Upload> {
  await mkdir(dir, { recursive: true });
  const fields: Record<string, string> = {};
  const files: StoredFile[] = [];
  try {
    for await (const part of request.parts({ limits })) {
      if (part.type === "field") {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      const kind = part.fieldname === "exports" ? "export" : part.fieldname === "templates" ? "template" : undefined;
      const name = displayName(part.filename);
      if (kind === undefined) {
        part.file.resume();
        throw new UploadError(
          "upload/unknown-field",
          `file field "${part.fieldname}": use exports or templates`,
          part.fieldname,
        );
      }
      const extension = path.extname(name).toLowerCase();
      const allowed = kind === "export" ? EXPORT_EXTENSIONS : TEMPLATE_EXTENSIONS;
      if (!allowed.has(extension)) {
        part.file.resume();
        throw new UploadError(
          "upload/unsupported-type",
          `${name}: a ${kind === "export" ? "listing export" : "template file"} must end in ${[...allowed].join(", ")}`,
          part.fieldname,
        );
      }
      const stored = `${kind}-${files.length + 1}-${randomBytes(4).toString("hex")}${extension}`;
      const target = path.resolve(dir, stored);
      if (path.dirname(target) !== path.resolve(dir)) throw new Error(`stored name escapes the run folder: ${stored}`);
      const file = await openAtomicFile(target);
      try {
        // commit() ends the stream itself (and waits for it to close).
        await pipeline(part.file, file.stream, { end: false });
        if (part.file.truncated)
          throw new UploadError("upload/too-large", `${name}: larger than ${limits.fileSize} bytes`, part.fieldname);
        await file.commit();
      } catch (error) {
        await file.abort();
        throw error;
      }
      files.push({ name, stored, kind });
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { fields, files };
}
