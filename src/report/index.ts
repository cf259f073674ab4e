import { createJsonReporter } from "./json.js";
import type { ReporterFactory } from "./reporter.js";
import { createTextReporter } from "./text.js";

export type { Reporter, ReporterFactory, RuleDescriptor, RunInfo } from "./reporter.js";

/** Every output format by name; `-f <name>` picks from here. */
export const reporters = {
  text: createTextReporter,
  json: createJsonReporter,
} as const satisfies Record<string, ReporterFactory>;

export type FormatName = keyof typeof reporters;

export const FORMAT_NAMES = Object.keys(reporters) as FormatName[];

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(reporters, name);
}
