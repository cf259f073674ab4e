import { createCsvReporter } from "./csv.js";
import { createGithubReporter } from "./github.js";
import { createHtmlReporter } from "./html.js";
import { createJsonReporter } from "./json.js";
import { createJunitReporter } from "./junit.js";
import { createMarkdownReporter } from "./markdown.js";
import type { ReporterFactory } from "./reporter.js";
import { createSarifReporter } from "./sarif.js";
import { createTextReporter } from "./text.js";

export type { Reporter, ReporterFactory, RuleDescriptor, RunInfo, TextSpool } from "./reporter.js";
export { createMemorySpool } from "./memory-spool.js";

/** Every output format by name; `-f <name>` picks from here. */
export const reporters = {
  text: createTextReporter,
  json: createJsonReporter,
  sarif: createSarifReporter,
  junit: createJunitReporter,
  github: createGithubReporter,
  csv: createCsvReporter,
  markdown: createMarkdownReporter,
  html: createHtmlReporter,
} as const satisfies Record<string, ReporterFactory>;

export type FormatName = keyof typeof reporters;

export const FORMAT_NAMES = Object.keys(reporters) as FormatName[];

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(reporters, name);
}
