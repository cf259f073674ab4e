import { parseArgs } from "node:util";
import { MAX_THREADS } from "../audit-scheduler.js";
import { FAIL_ON_LEVELS } from "../config/index.js";
import { PLATFORMS, type Lang, type Platform } from "../model.js";
import type { FailOn } from "../audit.js";
import type { CrawlOptions } from "../sources/index.js";

export type Command = "audit" | "explain" | "rules" | "init";
const COMMANDS: readonly Command[] = ["audit", "explain", "rules", "init"];

/** The command line, checked; values not given stay undefined so config keys can fill them. */
export interface CliOptions {
  command: Command;
  positionals: string[];
  templates?: string[];
  config?: string;
  platform?: Platform;
  formats: string[];
  output?: string;
  failOn?: FailOn;
  maxWarnings?: number;
  maxProblems?: number;
  /** `--threads <n>`: worker threads for the rules (default: one per core beyond the first, at most 3; at most MAX_THREADS). */
  threads?: number;
  lang?: Lang;
  json: boolean;
  quiet: boolean;
  /** `--baseline <file>`: known findings. */
  baseline?: string;
  /** `--update-baseline`: write every finding of this run to the `--baseline` file. */
  updateBaseline: boolean;
  /** `--compare <previous.json>`: a previous JSON report to compare with. */
  compare?: string;
  /** `--print-config`: print the effective config and exit. */
  printConfig: boolean;
  /** Crawl settings for URL inputs (docs/crawling.md). */
  crawl: Omit<CrawlOptions, "regions">;
  help: boolean;
  version: boolean;
}

const OPTIONS = {
  templates: { type: "string", short: "t", multiple: true },
  config: { type: "string", short: "c" },
  platform: { type: "string", short: "p" },
  format: { type: "string", short: "f", multiple: true },
  output: { type: "string", short: "o" },
  "fail-on": { type: "string" },
  "max-warnings": { type: "string" },
  "max-problems": { type: "string" },
  threads: { type: "string" },
  lang: { type: "string" },
  json: { type: "boolean" },
  quiet: { type: "boolean" },
  baseline: { type: "string" },
  "update-baseline": { type: "boolean" },
  compare: { type: "string" },
  "print-config": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
  "max-pages": { type: "string" },
  "max-depth": { type: "string" },
  concurrency: { type: "string" },
  delay: { type: "string" },
  timeout: { type: "string" },
  "user-agent": { type: "string" },
  include: { type: "string", multiple: true },
  exclude: { type: "string", multiple: true },
  "allow-host": { type: "string", multiple: true },
  "no-robots": { type: "boolean" },
  "save-pages": { type: "string" },
} as const;

/** Parses argv; a message for the user when it does not make sense (exit 2). */
export function parseCliOptions(argv: readonly string[]): { ok: true; value: CliOptions } | { ok: false; message: string } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  const { values } = parsed;
  const first = parsed.positionals[0];
  const command: Command = first !== undefined && (COMMANDS as readonly string[]).includes(first) ? (first as Command) : "audit";
  const positionals = command === "audit" && first !== "audit" ? parsed.positionals : parsed.positionals.slice(1);

  const problems: string[] = [];
  const oneOf = <T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined => {
    if (value === undefined) return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    problems.push(`--${name} must be one of ${allowed.join(", ")} (got "${value}")`);
    return undefined;
  };
  const count = (name: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) {
      problems.push(`--${name} must be a whole number ≥ 0 (got "${value}")`);
      return undefined;
    }
    const n = Number(value);
    if (Number.isSafeInteger(n)) return n;
    problems.push(`--${name} is too large (at most ${Number.MAX_SAFE_INTEGER}; got ${value.length} digits)`);
    return undefined;
  };
  const options: CliOptions = {
    command,
    positionals,
    formats: values.format ?? [],
    json: values.json ?? false,
    quiet: values.quiet ?? false,
    updateBaseline: values["update-baseline"] ?? false,
    printConfig: values["print-config"] ?? false,
    crawl: {},
    help: values.help ?? false,
    version: values.version ?? false,
  };
  if (values.templates) options.templates = values.templates;
  if (values.config !== undefined) options.config = values.config;
  if (values.output !== undefined) options.output = values.output;
  if (values.baseline !== undefined) options.baseline = values.baseline;
  if (values.compare !== undefined) options.compare = values.compare;
  if (options.updateBaseline && options.baseline === undefined) problems.push("--update-baseline needs --baseline <file>: the file to write");
  if ((options.baseline !== undefined || options.compare !== undefined || options.printConfig) && command !== "audit") {
    problems.push("--baseline, --update-baseline, --compare and --print-config are options of audit");
  }
  const platform = oneOf("platform", values.platform, PLATFORMS);
  if (platform) options.platform = platform;
  const failOn = oneOf("fail-on", values["fail-on"], FAIL_ON_LEVELS);
  if (failOn) options.failOn = failOn;
  const lang = oneOf<Lang>("lang", values.lang, ["zh", "en"]);
  if (lang) options.lang = lang;
  const maxWarnings = count("max-warnings", values["max-warnings"]);
  if (maxWarnings !== undefined) options.maxWarnings = maxWarnings;
  const maxProblems = count("max-problems", values["max-problems"]);
  if (maxProblems !== undefined) options.maxProblems = maxProblems;
  const threads = count("threads", values.threads);
  if (threads !== undefined && threads > MAX_THREADS) problems.push(`--threads must be at most ${MAX_THREADS} (got ${threads})`);
  else if (threads !== undefined) options.threads = threads;
  const crawl = options.crawl;
  const positive = (name: string, value: string | undefined): number | undefined => {
    const n = count(name, value);
    if (n === 0) problems.push(`--${name} must be at least 1`);
    return n === 0 ? undefined : n;
  };
  const maxPages = positive("max-pages", values["max-pages"]);
  if (maxPages !== undefined) crawl.maxPages = maxPages;
  const concurrency = positive("concurrency", values.concurrency);
  if (concurrency !== undefined) crawl.concurrency = concurrency;
  const maxDepth = count("max-depth", values["max-depth"]);
  if (maxDepth !== undefined) crawl.maxDepth = maxDepth;
  const delay = count("delay", values.delay);
  if (delay !== undefined) crawl.delayMs = delay;
  const timeout = positive("timeout", values.timeout);
  if (timeout !== undefined) crawl.timeoutMs = timeout;
  if (values["user-agent"] !== undefined) crawl.userAgent = values["user-agent"];
  if (values.include) crawl.include = values.include;
  if (values.exclude) crawl.exclude = values.exclude;
  if (values["allow-host"]) crawl.allowHosts = values["allow-host"];
  if (values["no-robots"]) crawl.robots = false;
  if (values["save-pages"] !== undefined) crawl.savePages = values["save-pages"];
  if (options.json && command === "audit") problems.push("--json is for explain and rules; use -f json to audit");
  return problems.length > 0 ? { ok: false, message: problems.join("\n") } : { ok: true, value: options };
}
