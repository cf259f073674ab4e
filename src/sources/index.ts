import type { SourceItem } from "../model.js";
import { createIdSet } from "../util/id-set.js";
import { crawlSources, type CrawlOptions } from "./crawl/index.js";
import type { ResolvedInputs } from "./inputs.js";
import { limitRecordNumbers } from "./listing-ranges.js";
import { NotAListingSourceError, type ReaderOptions } from "./source.js";

export { HEAD_BYTES, isTemplateFile, relativeName, resolveInputs } from "./inputs.js";
export type { InputOptions, ListingInput, ResolvedInputs } from "./inputs.js";
export { readers, readersWith } from "./readers.js";
export { checkListing, listingSchema } from "./listing-schema.js";
export { NotAListingSourceError } from "./source.js";
export { crawlSources, type CrawlOptions } from "./crawl/index.js";
export type { ColumnMapping, ReaderOptions, SourceInput, SourceReader } from "./source.js";

/** How to read: reader settings (config `columns`) and crawl settings for URL inputs. */
export interface SourceOptions extends ReaderOptions {
  crawl?: CrawlOptions;
}

/**
 * Reads every listing input in order, then crawls the URL inputs, and yields records and problems. A
 * listing id seen before in the same file (the crawl counts as one) is a `listing/duplicate-id` problem
 * and the record is audited as `id#2` (then `#3` …); the same id in two files is not, since a shop
 * audits several exports of the same listings at once. Ids are kept in an IdSet (a few bytes each),
 * whose rare false match for non-numeric ids (about n²/2⁶⁵) is reported the same way, never lost. An
 * input that turns out not to be a listing source while it is read is a problem when it was found by
 * walking, and throws NotAListingSourceError when it was named on the command line. Numbers outside
 * their plausible range are dropped with a problem (limitRecordNumbers).
 */
export async function* readSources(
  inputs: Pick<ResolvedInputs, "listings" | "urls">,
  options: SourceOptions = {},
): AsyncGenerator<SourceItem> {
  // A million ids in a Set<string> hold some 70 MB of JS heap, which V8 lets grow to three times that.
  let ids = createIdSet();
  let file: string | undefined;
  for await (const item of readAllInputs(inputs, options)) {
    if (item.kind === "problem") {
      yield item;
      continue;
    }
    // Inputs are read one after another, so only the current file's ids need keeping.
    if (item.record.source.file !== file) {
      file = item.record.source.file;
      ids = createIdSet();
    }
    const listing = item.record.listing;
    if (!ids.has(listing.id)) {
      ids.add(listing.id);
      yield* limitRecordNumbers(item.record);
      continue;
    }
    let n = 2;
    while (ids.has(`${listing.id}#${n}`)) n++;
    const renamed = `${listing.id}#${n}`;
    ids.add(renamed);
    yield {
      kind: "problem",
      problem: {
        code: "listing/duplicate-id",
        message: `duplicate listing id "${listing.id}": this record is audited as "${renamed}"`,
        source: item.record.source,
        listingId: renamed,
      },
      skipped: false,
    };
    yield* limitRecordNumbers({ ...item.record, listing: { ...listing, id: renamed } });
  }
}

async function* readAllInputs(
  inputs: Pick<ResolvedInputs, "listings" | "urls">,
  options: SourceOptions,
): AsyncGenerator<SourceItem> {
  const readerOptions: ReaderOptions = options.columns ? { columns: options.columns } : {};
  for (const { input, reader, explicit } of inputs.listings) {
    try {
      yield* reader.read(input, readerOptions);
    } catch (error) {
      if (error instanceof NotAListingSourceError) {
        if (explicit) throw error;
        yield {
          kind: "problem",
          problem: {
            code: "input/not-a-listing-source",
            message: `skipped: ${error.message}`,
            source: { file: input.name },
          },
          skipped: false,
        };
      } else {
        yield {
          kind: "problem",
          problem: {
            code: "input/unreadable",
            message: `could not read: ${(error as Error).message}`,
            source: { file: input.name },
          },
          skipped: true,
        };
      }
    }
  }
  if (inputs.urls.length > 0) yield* crawlSources([...inputs.urls], options.crawl ?? {});
}
