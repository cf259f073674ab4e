import type { Lang, ListingResult, Platform, Problem, Severity, Summary } from "../model.js";

/** A rule as reporters describe it (SARIF reportingDescriptor, `rules` command, HTML legend). */
export interface RuleDescriptor {
  id: string;
  /** Severity the rule has in this run (pack + config), or `off`. */
  severity: Severity | "off";
  defaultSeverity: Severity;
  /** One-line description in the run's language. */
  description: string;
  /** The platform rule it enforces, e.g. 滥发信息—发布错误描述信息. */
  reference: string;
  /** Link to docs/rules/<name>.md. */
  docsUrl: string;
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
  /** Colour escapes allowed (text reporter only). */
  color: boolean;
}

/**
 * A reporter formats what it is given and nothing else: it returns text chunks that the caller writes,
 * so output streams with back-pressure and reporters stay pure. `listing` is called once per audited
 * listing in input order (also for listings without findings), `problem` for input problems that are
 * not tied to an audited listing, `end` once.
 */
export interface Reporter {
  start(run: RunInfo): string;
  listing(result: ListingResult): string;
  problem(problem: Problem): string;
  end(summary: Summary): string;
}

export type ReporterFactory = () => Reporter;
