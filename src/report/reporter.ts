import type { Lang, ListingResult, Platform, Problem, RuleDescriptor, Summary } from "../model.js";
import type { FailOn } from "../verdict.js";
import type { RegionSets } from "./html/region-fold.js";

export type { RuleDescriptor };

/**
 * Text a reporter must hold until `end` (the JSON report's problems, printed after every finding). What
 * is appended comes back from `chunks()` in order, in pieces of about 1 MiB, as often as asked. The
 * pipeline's spool keeps a small amount in memory and the rest in a temporary file it removes when the
 * run ends, so a reporter's memory stays flat however many problems a run has.
 */
export interface TextSpool {
  append(text: string): void;
  chunks(): Iterable<string>;
}

/** What every reporter is told before the first listing. */
export interface RunInfo {
  tool: { name: string; version: string };
  /** Inputs as given (relative paths or URLs). */
  inputs: string[];
  rules: RuleDescriptor[];
  lang: Lang;
  platform: Platform;
  failOn: FailOn;
  /** `--no-templates`: the run checked the text only, against no shipping template. */
  textOnly?: boolean;
  /** Colour escapes allowed (text reporter only). */
  color: boolean;
  /** The run's mainland provinces and group words, so a long region list can be folded (HTML). */
  regionSets?: RegionSets;
  /** A new, empty spool for text the reporter holds until `end`; the caller disposes of it after the run. */
  spool: () => TextSpool;
}

/**
 * A reporter formats what it is given and nothing else: it returns text chunks that the caller writes,
 * so output streams with back-pressure and reporters stay pure. `listing` is called once per audited
 * listing in input order (also for listings without findings), `problem` for input problems that are
 * not tied to an audited listing, `end` once. `end` may return an iterable of chunks (e.g. read back
 * from a {@link TextSpool}), which the caller writes one by one in order.
 */
export interface Reporter {
  start(run: RunInfo): string;
  listing(result: ListingResult): string;
  problem(problem: Problem): string;
  end(summary: Summary): string | Iterable<string>;
}

export type ReporterFactory = () => Reporter;
