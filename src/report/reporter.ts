import type { Lang, ListingResult, Platform, Problem, Severity, Summary } from "../model.js";

/** A rule as reporters describe it (SARIF reportingDescriptor, `rules` command, HTML legend). */
export interface RuleDescriptor {
  id: string;
  /** Severity the rule has in this run (pack + config), or `off`. */
  severity: Severity | "off";
  defaultSeverity: Severity;
  /** A short title in the run's language (包邮宣称与运费模板不符), shown beside or instead of the id. */
  title: string;
  /** One-line description in the run's language. */
  description: string;
  /** The platform rule it enforces, e.g. 滥发信息—发布错误描述信息. */
  reference: string;
  /** Link to docs/rules/<name>.md. */
  docsUrl: string;
}

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
  failOn: Severity | "never";
  /** `--no-templates`: the run checked the text only, against no shipping template. */
  textOnly?: boolean;
  /** Colour escapes allowed (text reporter only). */
  color: boolean;
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
