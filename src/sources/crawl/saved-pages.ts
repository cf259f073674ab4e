import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, readFile, rename, unlink, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { PROBLEM_CODES } from "../../problems/catalogue.js";

/** The first line of an index file, so that readers can tell it from a JSONL listing export. */
export const SAVED_PAGES_HEADER = { format: "listing-auditor/saved-pages", version: 1 } as const;
export const SAVED_PAGES_INDEX = "index.jsonl";

/** One line of `index.jsonl` after the header: a fetched URL and what came of it. */
export const savedPageSchema = z.strictObject({
  url: z.url(),
  /** The URL after redirects, when different. */
  finalUrl: z.url().optional(),
  status: z.number().int().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  timestamp: z.string(),
  /** Raw (undecoded) body, relative to the folder. */
  body: z.string().optional(),
  /** Why the URL yielded no page. */
  problem: z.strictObject({ code: z.enum(PROBLEM_CODES), message: z.string() }).optional(),
});
export type SavedPage = z.infer<typeof savedPageSchema>;

/** Why a folder cannot take saved pages; the message names the folder and says what to do. */
export class SavedPagesFolderError extends Error {}

/** A line of the previous index: kept as written, with what merging needs to know. */
interface PreviousLine {
  text: string;
  url?: string;
  body?: string;
}

/**
 * Writes `<dir>/index.jsonl` and `<dir>/bodies/NNNNNN.body` (not `.html`, so folder walks do not read them
 * twice). A folder that already holds a saved crawl is merged into: this crawl's entries come first (the
 * reader keeps the first entry of a URL), then the previous entries of URLs this crawl did not fetch; the
 * bodies of replaced entries are deleted. Every file is written to a temporary file in its folder and
 * renamed, so a planted symbolic link is replaced, never written through, and an interrupted crawl leaves
 * the previous index as it was.
 */
export class SavedPagesWriter {
  private readonly fetched = new Set<string>();
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly previous: PreviousLine[],
    private nextBody: number,
    private readonly tempIndex: string,
    private readonly index: FileHandle,
  ) {}

  static async create(dir: string): Promise<SavedPagesWriter> {
    const bodies = path.join(dir, "bodies");
    try {
      await mkdir(bodies, { recursive: true });
    } catch (error) {
      throw new SavedPagesFolderError(
        `--save-pages ${dir}: cannot create the folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); name a folder, not a file`,
      );
    }
    // mkdir follows a symbolic link named `bodies`: bodies would land wherever it points.
    if (!(await lstat(bodies)).isDirectory())
      throw new SavedPagesFolderError(
        `--save-pages ${dir}: ${bodies} is a symbolic link; remove it or choose another folder`,
      );
    const previous = await readPreviousIndex(dir);
    const highest = previous.reduce((max, line) => Math.max(max, bodyNumber(line.body)), 0);
    const tempIndex = temporaryName(path.join(dir, SAVED_PAGES_INDEX));
    const index = await open(tempIndex, "wx");
    await index.write(`${JSON.stringify(SAVED_PAGES_HEADER)}\n`);
    return new SavedPagesWriter(dir, previous, highest + 1, tempIndex, index);
  }

  async write(entry: Omit<SavedPage, "body">, body?: Buffer): Promise<void> {
    const line: SavedPage = { ...entry };
    this.fetched.add(entry.url);
    if (body) {
      line.body = `bodies/${String(this.nextBody).padStart(6, "0")}.body`;
      this.nextBody += 1;
      await writeAtomically(path.join(this.dir, line.body), body);
    }
    await this.index.write(`${JSON.stringify(line)}\n`);
  }

  /** Completes the index: the previous entries this crawl did not replace follow, then it takes the index's place. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const stale: string[] = [];
    for (const line of this.previous) {
      if (line.url !== undefined && this.fetched.has(line.url)) {
        // Only our own body names: an index is data, and must not make us delete anything else.
        if (bodyNumber(line.body) > 0 && line.body) stale.push(line.body);
        continue;
      }
      await this.index.write(`${line.text}\n`);
    }
    await this.index.sync();
    await this.index.close();
    await rename(this.tempIndex, path.join(this.dir, SAVED_PAGES_INDEX));
    for (const body of stale) await unlink(path.join(this.dir, body)).catch(() => undefined);
  }

  /** A crawl that failed leaves the previous index as it was. */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.index.close();
    await unlink(this.tempIndex).catch(() => undefined);
  }
}

/** The previous index's lines after its header; none when there is no index; an error when the file is something else. */
async function readPreviousIndex(dir: string): Promise<PreviousLine[]> {
  const file = path.join(dir, SAVED_PAGES_INDEX);
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(file);
  } catch {
    return [];
  }
  if (!stats.isFile())
    throw new SavedPagesFolderError(
      `--save-pages ${dir}: ${file} is not a regular file (a symbolic link?); remove it or choose another folder`,
    );
  const [header = "", ...lines] = (await readFile(file, "utf8")).split("\n");
  let format: unknown;
  try {
    format = (JSON.parse(header) as { format?: unknown }).format;
  } catch {
    format = undefined;
  }
  if (format !== SAVED_PAGES_HEADER.format)
    throw new SavedPagesFolderError(
      `--save-pages ${dir}: ${file} exists and is not a saved-pages index; choose another folder`,
    );
  return lines
    .filter((l) => l.trim())
    .map((text) => {
      const parsed = savedPageSchema.safeParse(parseJson(text));
      // A line that is not an entry is kept as it was: the reader reports it, merging does not lose it.
      return parsed.success
        ? { text, url: parsed.data.url, ...(parsed.data.body ? { body: parsed.data.body } : {}) }
        : { text };
    });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function bodyNumber(body: string | undefined): number {
  const match = body?.match(/^bodies\/(\d+)\.body$/);
  return match ? Number(match[1]) : 0;
}

function temporaryName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
}

/** Exclusive create of a temporary file (`wx` refuses an existing name, link or not), then rename over the target. */
async function writeAtomically(file: string, data: Buffer): Promise<void> {
  const temp = temporaryName(file);
  const handle = await open(temp, "wx");
  try {
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}
