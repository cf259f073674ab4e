import { createReadStream } from "node:fs";
import { open, readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import picomatch from "picomatch";
import type { Problem, ProblemCode } from "../model.js";
import type { LocatedError, Result } from "../util/result.js";
import { readers } from "./readers.js";
import type { SourceInput, SourceReader } from "./source.js";
import { decodeFileText } from "../util/text-encoding.js";
import { describeUnsupportedFormat } from "./unsupported-formats.js";

/** Bytes read up front to recognise a file's format. */
export const HEAD_BYTES = 1024 * 1024;

/** A listing input, recognised and ready to read. */
export interface ListingInput {
  input: SourceInput;
  reader: SourceReader;
  /** Named on the command line (not found by walking a folder or matching a glob). */
  explicit: boolean;
}

/** What the inputs of a run turned out to be. */
export interface ResolvedInputs {
  listings: ListingInput[];
  /** Template files found among the inputs (absolute paths): loaded as templates, not audited. */
  templateFiles: string[];
  /** http(s) inputs, for the crawler. */
  urls: string[];
  /** Files found while walking that are not listing sources (`input/not-a-listing-source`). */
  problems: Problem[];
}

export interface InputOptions {
  cwd: string;
  stdin: Readable;
  /** Formats to try; the registry by default. */
  readers?: readonly SourceReader[];
}

/** Config files sit next to listings; a walk never treats them as inputs. */
const CONFIG_FILE = /^listing-audit\.config\.(ya?ml|json)$/;
/** What Office and Windows leave next to exports: Excel's lock file while a workbook is open (~$商品.xlsx), thumbnail caches, folder settings. */
const SYSTEM_FILE = /^(?:~\$.*|thumbs\.db|desktop\.ini)$/i;
const TOP_RESPONSE_KEY = /^(delivery_templates?_get_response|delivery_templates?)$/;

/**
 * Resolves command-line inputs: files, folders (walked recursively, skipping dot-entries and
 * node_modules), globs, `-` for stdin and http(s) URLs. A file whose top level is `templates:` or a Taobao
 * Open Platform delivery-template response is a template file wherever it is found. A file named on the
 * command line that no reader recognises is an error (exit 2); one found by walking is a problem.
 */
export async function resolveInputs(args: readonly string[], options: InputOptions): Promise<Result<ResolvedInputs>> {
  const formats = options.readers ?? readers;
  const out: ResolvedInputs = { listings: [], templateFiles: [], urls: [], problems: [] };
  const errors: LocatedError[] = [];
  const seen = new Set<string>();
  const expected = `listings as ${formats.map((r) => r.format).join(", ")}`;

  const walking: WalkState = { cwd: options.cwd, unread: [], folders: new Set() };
  const addFile = async (absolute: string, explicit: boolean): Promise<void> => {
    // A file reached through a link and by its own name is one input.
    const real = await realpath(absolute).catch(() => absolute);
    if (seen.has(real)) return;
    seen.add(real);
    const name = relativeName(absolute, options.cwd);
    const head = await readHead(absolute);
    if (isTemplateFile(head)) {
      out.templateFiles.push(absolute);
      return;
    }
    if (isBlank(head)) {
      out.problems.push(emptyInputProblem(name));
      return;
    }
    const reader = formats.find((r) => r.detect({ name, head }));
    const reason = `not a listing source (${describeUnsupportedFormat(head) ?? `expected ${expected}`})`;
    if (reader) {
      out.listings.push({ input: { name, head, open: () => createReadStream(absolute) }, reader, explicit });
    } else if (explicit) {
      errors.push({ file: name, key: "", message: reason });
    } else {
      out.problems.push({ code: "input/not-a-listing-source", message: `skipped: ${reason}`, source: { file: name } });
    }
  };

  for (const arg of args) {
    if (arg === "-") {
      const input = await stdinInput(options.stdin);
      if (isBlank(input.head)) {
        out.problems.push(emptyInputProblem("-"));
        continue;
      }
      const reader = formats.find((r) => r.detect(input));
      if (reader) out.listings.push({ input, reader, explicit: true });
      else
        errors.push({
          file: "-",
          key: "",
          message: `standard input is not a listing source (${describeUnsupportedFormat(input.head) ?? `expected ${expected}`})`,
        });
      continue;
    }
    if (/^https?:\/\//i.test(arg)) {
      out.urls.push(arg);
      continue;
    }
    const absolute = path.resolve(options.cwd, arg);
    const info = await stat(absolute).catch(() => undefined);
    if (info?.isFile()) await addFile(absolute, true);
    else if (info?.isDirectory()) {
      for (const file of await walk(absolute, walking)) await addFile(file, false);
      for (const { problem } of walking.unread.splice(0)) out.problems.push(problem);
    } else if (picomatch.scan(arg).isGlob) {
      const matches = await expandGlob(arg, options.cwd, walking);
      for (const { problem } of walking.unread.splice(0)) out.problems.push(problem);
      if (matches.length === 0) errors.push({ file: arg, key: "", message: "no file matches this pattern" });
      for (const file of matches) await addFile(file, false);
    } else {
      errors.push({ file: arg, key: "", message: info ? "not a file or folder" : "no such file or folder" });
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: out };
}

/**
 * An empty or whitespace-only file (an export that failed, a file created and never filled) says so,
 * rather than that its format is unknown. Only a head that is the whole file can tell.
 */
function isBlank(head: Buffer): boolean {
  if (head.length >= HEAD_BYTES) return false;
  // Whitespace, NUL and byte-order-mark bytes only, before decoding at all.
  for (const byte of head)
    if (![0x00, 0x09, 0x0a, 0x0d, 0x20, 0xef, 0xbb, 0xbf, 0xfe, 0xff].includes(byte)) return false;
  return (
    decodeFileText(head)
      .replace(/\u0000/g, "")
      .trim() === ""
  );
}

function emptyInputProblem(file: string): Problem {
  return { code: "input/empty", message: "the file is empty", zh: "文件为空", source: { file } };
}

/** True when the head of a file is a shipping-template document rather than listings. */
export function isTemplateFile(head: Buffer): boolean {
  const text = decodeFileText(head);
  const trimmed = text.trimStart();
  // A bare TOP template list: `[{"template_id": …}]`.
  if (/^\[\s*\{\s*"template_id"\s*:/.test(trimmed)) return true;
  if (trimmed.startsWith("{")) {
    const firstKey = /^\{\s*"((?:[^"\\]|\\.)*)"\s*:/.exec(trimmed)?.[1];
    return firstKey !== undefined && isTemplateKey(firstKey);
  }
  const firstLine = text
    .split("\n")
    .map((l) => l.trimEnd())
    .find((l) => l.trim() !== "" && !l.trimStart().startsWith("#") && l !== "---");
  const key = firstLine === undefined ? undefined : /^["']?([A-Za-z_]+)["']?\s*:/.exec(firstLine)?.[1];
  return key !== undefined && isTemplateKey(key);
}

function isTemplateKey(key: string): boolean {
  return key === "templates" || key === "template_id" || TOP_RESPONSE_KEY.test(key);
}

/** File paths in reports are relative to the working directory, with forward slashes. */
export function relativeName(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute) || path.basename(absolute);
  return relative.split(path.sep).join("/");
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Reads the head of stdin, then replays it in front of the rest when the reader opens the input. */
async function stdinInput(stdin: Readable): Promise<SourceInput> {
  const iterator = stdin[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const chunks: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (size < HEAD_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    const buffer = typeof next.value === "string" ? Buffer.from(next.value) : next.value;
    chunks.push(buffer);
    size += buffer.length;
  }
  const head = Buffer.concat(chunks);
  let opened = false;
  return {
    name: "-",
    head: head.subarray(0, HEAD_BYTES),
    open: () => {
      if (opened) throw new Error("standard input can be read only once");
      opened = true;
      return Readable.from(replay(head, ended ? undefined : iterator));
    },
  };
}

async function* replay(head: Buffer, rest: AsyncIterator<Buffer | string> | undefined): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  if (!rest) return;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield typeof next.value === "string" ? Buffer.from(next.value) : next.value;
  }
}

interface WalkState {
  cwd: string;
  /** Entries that cannot be read as files (broken links, loops, devices), by absolute path. */
  unread: Array<{ absolute: string; problem: Problem }>;
  /** Real paths of the folders walked so far. */
  folders: Set<string>;
}

/**
 * The files of a folder, recursively, in name order. Links are followed — to files, and to folders
 * not walked yet — so exports linked into a folder are audited; a broken link, a link loop and anything
 * that is not a regular file are problems, never skipped in silence.
 */
async function walk(folder: string, state: WalkState): Promise<string[]> {
  state.folders.add(await realpath(folder).catch(() => folder));
  const files: string[] = [];
  const entries = await readdir(folder, { withFileTypes: true });
  const names = entries.map((e) => e.name).sort();
  const byName = new Map(entries.map((e) => [e.name, e]));
  for (const name of names) {
    const entry = byName.get(name)!;
    if (name.startsWith(".") || name === "node_modules") continue;
    const full = path.join(folder, name);
    const kind = entry.isSymbolicLink()
      ? await followLink(full, folder, state)
      : entry.isDirectory()
        ? "folder"
        : entry.isFile()
          ? "file"
          : "other";
    if (kind === "folder") for (const file of await walk(full, state)) files.push(file);
    else if (kind === "file") {
      if (!CONFIG_FILE.test(name) && !SYSTEM_FILE.test(name)) files.push(full);
    } else if (kind === "other") {
      reportInput(state, full, "input/not-a-file", "skipped: not a regular file (a device, socket or pipe)");
    }
  }
  return files;
}

/** What a link leads to; "skip" once reported (broken, a loop) or for a folder already walked. */
async function followLink(
  link: string,
  folder: string,
  state: WalkState,
): Promise<"file" | "folder" | "other" | "skip"> {
  let target: Awaited<ReturnType<typeof stat>>;
  try {
    target = await stat(link);
  } catch (error) {
    const loop = (error as NodeJS.ErrnoException).code === "ELOOP";
    reportInput(
      state,
      link,
      loop ? "input/link-loop" : "input/broken-link",
      loop
        ? "skipped: the link leads back to itself"
        : "skipped: the link points to nothing (its target was moved or deleted)",
    );
    return "skip";
  }
  if (target.isFile()) return "file";
  if (!target.isDirectory()) return "other";
  const real = await realpath(link);
  const walking = await realpath(folder).catch(() => folder);
  const relative = path.relative(real, walking);
  if (relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative))) {
    reportInput(
      state,
      link,
      "input/link-loop",
      "skipped: the link leads to a folder that holds it, which would be walked forever",
    );
    return "skip";
  }
  // Its files are read where the walk found the folder first.
  return state.folders.has(real) ? "skip" : "folder";
}

function reportInput(state: WalkState, file: string, code: ProblemCode, message: string): void {
  state.unread.push({ absolute: file, problem: { code, message, source: { file: relativeName(file, state.cwd) } } });
}

async function expandGlob(pattern: string, cwd: string, state: WalkState): Promise<string[]> {
  const normalised = pattern.split(path.sep).join("/");
  const { base } = picomatch.scan(normalised);
  const root = path.resolve(cwd, base || ".");
  const isMatch = picomatch(path.isAbsolute(normalised) ? normalised : path.posix.join(toPosix(cwd), normalised), {
    dot: false,
  });
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) return [];
  const files = (await walk(root, state)).filter((file) => isMatch(toPosix(file)));
  // Only the entries the pattern names are the user's concern.
  state.unread = state.unread.filter(({ absolute }) => isMatch(toPosix(absolute)));
  return files;
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}
