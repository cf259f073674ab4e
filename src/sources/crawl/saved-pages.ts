import { mkdir, open, writeFile, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

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
  problem: z.strictObject({ code: z.string(), message: z.string() }).optional(),
});
export type SavedPage = z.infer<typeof savedPageSchema>;

/** Writes `<dir>/index.jsonl` and `<dir>/bodies/NNNNNN.body` (not `.html`, so folder walks do not read them twice). */
export class SavedPagesWriter {
  private count = 0;

  private constructor(
    private readonly dir: string,
    private readonly index: FileHandle,
  ) {}

  static async create(dir: string): Promise<SavedPagesWriter> {
    await mkdir(path.join(dir, "bodies"), { recursive: true });
    const index = await open(path.join(dir, SAVED_PAGES_INDEX), "w");
    await index.write(`${JSON.stringify(SAVED_PAGES_HEADER)}\n`);
    return new SavedPagesWriter(dir, index);
  }

  async write(entry: Omit<SavedPage, "body">, body?: Buffer): Promise<void> {
    const line: SavedPage = { ...entry };
    if (body) {
      this.count += 1;
      line.body = `bodies/${String(this.count).padStart(6, "0")}.body`;
      await writeFile(path.join(this.dir, line.body), body);
    }
    await this.index.write(`${JSON.stringify(line)}\n`);
  }

  async close(): Promise<void> {
    await this.index.close();
  }
}
