import type { z } from "zod";
import path from "node:path";
import { createInterface } from "node:readline";
import type { ProblemCode, SourceItem } from "../model.js";
import { FileTooLargeError, readFileCapped, readStreamCapped } from "../util/capped-read.js";
import { formatLocatedError } from "../util/result.js";
import { decodeBody } from "./crawl/decode.js";
import { readPageBytes } from "./crawl/page-bytes.js";
import { SAVED_PAGES_HEADER, savedPageSchema } from "./crawl/saved-pages.js";
import { extractPage, loadPageContext, type PageContext, type PageOptions } from "./page/extract-page.js";
import type { SourceInput, SourceReader } from "./source.js";

const HTML_NAME = /\.(html?|xhtml)$/i;
const HTML_HEAD = /^\s*(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html)\b/i;

/**
 * Reads HTML product pages from disk: plain `.html` files, and the `index.jsonl` of a `--save-pages`
 * folder, which yields exactly what the crawl that saved it yielded.
 */
export function createHtmlPageReader(options: PageOptions = {}): SourceReader {
  let context: Promise<PageContext> | undefined;
  const contextOnce = () =>
    (context ??= loadPageContext(options).then((c) => {
      if (!c.ok) throw new Error(c.errors.map(formatLocatedError).join("\n"));
      return c.value;
    }));
  return {
    format: "html",
    detect: (input) =>
      isSavedPagesIndex(input.head) ||
      HTML_NAME.test(input.name) ||
      HTML_HEAD.test(input.head.subarray(0, 1024).toString("latin1")),
    async *read(input) {
      if (isSavedPagesIndex(input.head)) yield* readSavedPages(input, await contextOnce());
      else yield* readHtmlFile(input, await contextOnce());
    },
  };
}

/** The reader with the bundled regions and no extractor rules. */
export const htmlPageReader: SourceReader = createHtmlPageReader();

/** True when the bytes start with the saved-pages header line. */
export function isSavedPagesIndex(head: Buffer): boolean {
  const firstLine = head.subarray(0, 512).toString("utf8").split("\n")[0] ?? "";
  try {
    const value: unknown = JSON.parse(firstLine);
    return (
      typeof value === "object" &&
      value !== null &&
      (value as { format?: unknown }).format === SAVED_PAGES_HEADER.format
    );
  } catch {
    return false;
  }
}

/** A saved product page is a few MB at most (the crawler keeps 5 MiB); a page is decoded and parsed whole. */
export const MAX_PAGE_FILE_BYTES = 32 * 1024 * 1024;

async function* readHtmlFile(input: SourceInput, context: PageContext): AsyncGenerator<SourceItem> {
  let bytes: Buffer;
  try {
    bytes = await readStreamCapped(input.open(), MAX_PAGE_FILE_BYTES);
  } catch (error) {
    if (!(error instanceof FileTooLargeError)) throw error;
    yield tooLarge(input.name, error);
    return;
  }
  const { text } = decodeBody(bytes);
  yield* extractPage({ html: text, file: input.name }, context);
}

async function* readSavedPages(input: SourceInput, context: PageContext): AsyncGenerator<SourceItem> {
  const folder = path.dirname(path.resolve(input.name));
  const yielded = new Set<string>();
  let lineNumber = 0;
  for await (const line of createInterface({ input: input.open(), crlfDelay: Infinity })) {
    lineNumber += 1;
    if (lineNumber === 1 || !line.trim()) continue;
    const problemAt = (code: ProblemCode, message: string): SourceItem => ({
      kind: "problem",
      problem: { code, message, source: { file: input.name, line: lineNumber } },
      skipped: false,
    });
    let entry: z.infer<typeof savedPageSchema>;
    try {
      const parsed = savedPageSchema.safeParse(JSON.parse(line));
      if (!parsed.success) {
        yield problemAt(
          "saved-pages/invalid-entry",
          parsed.error.issues.map((i) => `${i.path.join(".") || "entry"}: ${i.message}`).join("; "),
        );
        continue;
      }
      entry = parsed.data;
    } catch (error) {
      yield problemAt("saved-pages/invalid-entry", (error as Error).message);
      continue;
    }
    if (entry.problem) {
      yield { kind: "problem", problem: { ...entry.problem, source: { url: entry.url } }, skipped: false };
      continue;
    }
    const finalUrl = entry.finalUrl ?? entry.url;
    if (yielded.has(finalUrl)) continue;
    yielded.add(finalUrl);
    if (!entry.body) {
      yield problemAt("saved-pages/missing-body", `no body saved for ${entry.url}`);
      continue;
    }
    const bodyFile = path.resolve(folder, entry.body);
    // An index is data: it must not point the reader at files outside its own folder.
    if (path.relative(folder, bodyFile).startsWith("..") || path.isAbsolute(path.relative(folder, bodyFile))) {
      yield problemAt("saved-pages/invalid-entry", `body ${entry.body} lies outside the saved-pages folder`);
      continue;
    }
    let body: Buffer;
    try {
      body = await readFileCapped(bodyFile, MAX_PAGE_FILE_BYTES);
    } catch (error) {
      if (error instanceof FileTooLargeError) {
        yield tooLarge(input.name, error, lineNumber);
        continue;
      }
      yield problemAt(
        "saved-pages/missing-body",
        `${entry.body}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
      continue;
    }
    yield* readPageBytes(body, entry.headers?.["content-type"], new URL(finalUrl), context, false).items;
  }
}

function tooLarge(file: string, error: FileTooLargeError, line?: number): SourceItem {
  const message = `${line === undefined ? "the page" : "the saved body"} is ${error.message}, the most one HTML page may hold; it is not read`;
  return {
    kind: "problem",
    problem: { code: "html/too-large", message, source: { file, ...(line === undefined ? {} : { line }) } },
    skipped: true,
  };
}
