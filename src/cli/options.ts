import { parseArgs } from "node:util";
import { MAX_THREADS } from "../audit-scheduler.js";
import { FAIL_ON_LEVELS } from "../config/index.js";
import { PLATFORMS, type Lang, type Platform } from "../model.js";
import type { FailOn } from "../verdict.js";
import type { CrawlOptions } from "../sources/index.js";
import { crawlOptionProblems } from "../sources/crawl/options.js";
import { nearestNames } from "../util/nearest.js";
import { say, type Say } from "./say.js";

/** What `--fix` and its companions ask for. */
export interface FixOptions {
  dryRun: boolean;
  outputDir?: string;
  rules?: string[];
  strategy: "text" | "template";
}

export type Command = "audit" | "explain" | "rules" | "init" | "serve" | "worker" | "runs";
const COMMANDS: readonly Command[] = ["audit", "explain", "rules", "init", "serve", "worker", "runs"];

/** The command line, checked; values not given stay undefined so config keys can fill them. */
export interface CliOptions {
  command: Command;
  /** The command line as given (a distributed run keeps it for `runs resume`). */
  argv: readonly string[];
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
  /** `--force`: write the baseline even after a run that skipped records or pages. */
  force: boolean;
  /** `--no-templates`: audit the text only, with no shipping template. */
  noTemplates: boolean;
  /** `--compare <previous.json>`: a previous JSON report to compare with. */
  compare?: string;
  /** `--print-config`: print the effective config and exit. */
  printConfig: boolean;
  /** Crawl settings for URL inputs (docs/crawling.md). */
  crawl: Omit<CrawlOptions, "regions">;
  /** `--fix`, `--fix-dry-run`, `--fix-output`, `--fix-rule`, `--fix-strategy` (docs/fix.md); undefined without them. */
  fix?: FixOptions;
  /** `serve` settings as typed; src/cli/serve-command.ts checks them. */
  serve: { port?: string; host?: string; data?: string; token?: string; maxRuns?: string; open: boolean };
  /** `--queue` and its companions (docs/scale.md); checked by src/cli/queue-commands.ts. */
  queue: QueueCliOptions;
  help: boolean;
  version: boolean;
}

export interface QueueCliOptions {
  url?: string;
  shared?: string;
  shardSize?: number;
  runId?: string;
  detach: boolean;
  metricsPort?: number;
  lockMs?: number;
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
  force: { type: "boolean" },
  "no-templates": { type: "boolean" },
  compare: { type: "string" },
  "print-config": { type: "boolean" },
  fix: { type: "boolean" },
  "fix-dry-run": { type: "boolean" },
  "fix-output": { type: "string" },
  "fix-rule": { type: "string", multiple: true },
  "fix-strategy": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
  "max-pages": { type: "string" },
  "max-depth": { type: "string" },
  concurrency: { type: "string" },
  delay: { type: "string" },
  timeout: { type: "string" },
  "max-time": { type: "string" },
  "user-agent": { type: "string" },
  include: { type: "string", multiple: true },
  exclude: { type: "string", multiple: true },
  "allow-host": { type: "string", multiple: true },
  "no-robots": { type: "boolean" },
  "save-pages": { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  data: { type: "string" },
  token: { type: "string" },
  open: { type: "boolean" },
  "max-runs": { type: "string" },
  queue: { type: "string" },
  shared: { type: "string" },
  "shard-size": { type: "string" },
  "run-id": { type: "string" },
  detach: { type: "boolean" },
  "metrics-port": { type: "string" },
  "lock-ms": { type: "string" },
} as const;

type OptionName = keyof typeof OPTIONS;

/**
 * Checks every option as written: an unknown one gets the nearest known names, a value missing or given
 * to a switch is named. Node's own messages are English and tell users about `--` positionals.
 */
function checkOptionTokens(tokens: NonNullable<ReturnType<typeof parseArgs>["tokens"]>): Say[] {
  const problems: Say[] = [];
  const longNames = Object.keys(OPTIONS).map((name) => `--${name}`);
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const option = (OPTIONS as Record<string, (typeof OPTIONS)[OptionName]>)[token.name];
    if (option === undefined) {
      const near = token.rawName.startsWith("--") ? nearestNames(token.rawName, longNames) : [];
      problems.push(
        near.length > 0
          ? say(
              `未知选项 ${token.rawName}。是否要用 ${near.join("、")}？`,
              `unknown option ${token.rawName}. Did you mean ${near.join(", ")}?`,
            )
          : say(`未知选项 ${token.rawName}`, `unknown option ${token.rawName}`),
      );
    } else if (option.type === "string" && token.value === undefined) {
      problems.push(say(`选项 ${token.rawName} 缺少值`, `option ${token.rawName} needs a value`));
    } else if (option.type === "boolean" && token.inlineValue) {
      problems.push(say(`选项 ${token.rawName} 不带值`, `option ${token.rawName} takes no value`));
    }
  }
  return problems;
}

/** Parses argv; messages for the user when it does not make sense (exit 2). */
export function parseCliOptions(
  argv: readonly string[],
): { ok: true; value: CliOptions } | { ok: false; messages: Say[] } {
  const parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  const unknown = checkOptionTokens(parsed.tokens);
  if (unknown.length > 0) return { ok: false, messages: unknown };
  // Every option is known and typed as declared (checked above), as strict parsing would have it.
  const values = parsed.values as ReturnType<
    typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
  >["values"];
  const first = parsed.positionals[0];
  const command: Command =
    first !== undefined && (COMMANDS as readonly string[]).includes(first) ? (first as Command) : "audit";
  const positionals = command === "audit" && first !== "audit" ? parsed.positionals : parsed.positionals.slice(1);

  const problems: Say[] = [];
  const oneOf = <T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined => {
    if (value === undefined) return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    problems.push(
      say(
        `--${name} 只能是 ${allowed.join("、")} 之一（写的是 "${value}"）`,
        `--${name} must be one of ${allowed.join(", ")} (got "${value}")`,
      ),
    );
    return undefined;
  };
  const count = (name: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) {
      problems.push(
        say(
          `--${name} 必须是不小于 0 的整数（写的是 "${value}"）`,
          `--${name} must be a whole number ≥ 0 (got "${value}")`,
        ),
      );
      return undefined;
    }
    const n = Number(value);
    if (Number.isSafeInteger(n)) return n;
    problems.push(
      say(
        `--${name} 太大（最多 ${Number.MAX_SAFE_INTEGER}；写了 ${value.length} 位数字）`,
        `--${name} is too large (at most ${Number.MAX_SAFE_INTEGER}; got ${value.length} digits)`,
      ),
    );
    return undefined;
  };
  const options: CliOptions = {
    command,
    argv: [...argv],
    positionals,
    formats: values.format ?? [],
    json: values.json ?? false,
    quiet: values.quiet ?? false,
    updateBaseline: values["update-baseline"] ?? false,
    force: values.force ?? false,
    noTemplates: values["no-templates"] ?? false,
    printConfig: values["print-config"] ?? false,
    crawl: {},
    serve: {
      open: values.open ?? false,
      ...(values.port === undefined ? {} : { port: values.port }),
      ...(values.host === undefined ? {} : { host: values.host }),
      ...(values.data === undefined ? {} : { data: values.data }),
      ...(values.token === undefined ? {} : { token: values.token }),
      ...(values["max-runs"] === undefined ? {} : { maxRuns: values["max-runs"] }),
    },
    queue: { detach: values.detach ?? false },
    help: values.help ?? false,
    version: values.version ?? false,
  };
  if (values.templates) options.templates = values.templates;
  if (values.config !== undefined) options.config = values.config;
  if (values.output !== undefined) options.output = values.output;
  if (values.baseline !== undefined) options.baseline = values.baseline;
  if (values.compare !== undefined) options.compare = values.compare;
  if (options.updateBaseline && options.baseline === undefined) {
    problems.push(
      say(
        "--update-baseline 需要 --baseline <文件>：要写入的基线文件",
        "--update-baseline needs --baseline <file>: the file to write",
      ),
    );
  }
  if (options.force && !options.updateBaseline) {
    problems.push(
      say(
        "--force 只与 --update-baseline 一起用：在跳过了记录或页面的运行之后仍写入基线",
        "--force goes with --update-baseline: it writes the baseline after a run that skipped records or pages",
      ),
    );
  }
  if (options.noTemplates && options.templates) {
    problems.push(
      say(
        "--no-templates 不用运费模板审核，不能与 -t 同用",
        "--no-templates audits without templates; it cannot go with -t",
      ),
    );
  }
  if ((options.baseline !== undefined || options.compare !== undefined || options.printConfig) && command !== "audit") {
    problems.push(
      say(
        "--baseline、--update-baseline、--compare 和 --print-config 只用于 audit",
        "--baseline, --update-baseline, --compare and --print-config are options of audit",
      ),
    );
  }
  const { open: opens, ...served } = options.serve;
  if (command !== "serve" && (opens || Object.keys(served).length > 0)) {
    problems.push(
      say(
        "--port、--host、--data、--token、--max-runs 和 --open 只用于 serve",
        "--port, --host, --data, --token, --max-runs and --open are options of serve",
      ),
    );
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
  if (threads !== undefined && threads > MAX_THREADS)
    problems.push(
      say(
        `--threads 最多 ${MAX_THREADS}（写的是 ${threads}）`,
        `--threads must be at most ${MAX_THREADS} (got ${threads})`,
      ),
    );
  else if (threads !== undefined) options.threads = threads;
  const crawl = options.crawl;
  const positive = (name: string, value: string | undefined): number | undefined => {
    const n = count(name, value);
    if (n === 0) problems.push(say(`--${name} 至少为 1`, `--${name} must be at least 1`));
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
  const maxTime = positive("max-time", values["max-time"]);
  if (maxTime !== undefined) crawl.maxTimeMs = maxTime * 1000;
  for (const p of crawlOptionProblems(crawl)) {
    const got = {
      zh: p.got === undefined ? "一个过大的数" : String(p.got),
      en: p.got === undefined ? "a number too large" : String(p.got),
    };
    problems.push(
      say(
        `${p.flag} 须在 ${p.min} 到 ${p.max} 之间（实际为 ${got.zh}）`,
        `${p.flag} must be from ${p.min} to ${p.max} (got ${got.en})`,
      ),
    );
  }
  if (values["user-agent"] !== undefined) crawl.userAgent = values["user-agent"];
  if (values.include) crawl.include = values.include;
  if (values.exclude) crawl.exclude = values.exclude;
  if (values["allow-host"]) crawl.allowHosts = values["allow-host"];
  if (values["no-robots"]) crawl.robots = false;
  if (values["save-pages"] !== undefined) crawl.savePages = values["save-pages"];
  const fix = fixOptions(values, problems);
  if (fix && command !== "audit")
    problems.push(say("--fix 系列选项只用于 audit", "the --fix options are options of audit"));
  else if (fix) options.fix = fix;
  const queue = options.queue;
  if (values.queue !== undefined) queue.url = values.queue;
  if (values.shared !== undefined) queue.shared = values.shared;
  if (values["run-id"] !== undefined) queue.runId = values["run-id"];
  const shardSize = positive("shard-size", values["shard-size"]);
  if (shardSize !== undefined) queue.shardSize = shardSize;
  const metricsPort = count("metrics-port", values["metrics-port"]);
  if (metricsPort !== undefined) queue.metricsPort = metricsPort;
  const lockMs = positive("lock-ms", values["lock-ms"]);
  if (lockMs !== undefined) queue.lockMs = lockMs;
  if (options.json && command === "audit")
    problems.push(
      say("--json 用于 explain 和 rules；审核时请用 -f json", "--json is for explain and rules; use -f json to audit"),
    );
  return problems.length > 0 ? { ok: false, messages: problems } : { ok: true, value: options };
}

/** `--fix-dry-run`, `--fix-output`, `--fix-rule` and `--fix-strategy` each ask for fixing; undefined when none is given. */
function fixOptions(
  values: {
    fix?: boolean | undefined;
    "fix-dry-run"?: boolean | undefined;
    "fix-output"?: string | undefined;
    "fix-rule"?: string[] | undefined;
    "fix-strategy"?: string | undefined;
  },
  problems: Say[],
): FixOptions | undefined {
  const asked =
    values.fix || values["fix-dry-run"] || values["fix-output"] !== undefined || values["fix-rule"] !== undefined;
  if (!asked && values["fix-strategy"] === undefined) return undefined;
  const strategy = values["fix-strategy"] ?? "text";
  if (strategy !== "text" && strategy !== "template") {
    problems.push(
      say(
        `--fix-strategy 只能是 text 或 template（写的是 "${strategy}"）`,
        `--fix-strategy must be text or template (got "${strategy}")`,
      ),
    );
    return undefined;
  }
  if (values["fix-dry-run"] && values["fix-output"] !== undefined)
    problems.push(
      say(
        "--fix-dry-run 不写文件，不能与 --fix-output 同用",
        "--fix-dry-run writes nothing; it cannot go with --fix-output",
      ),
    );
  const fix: FixOptions = { dryRun: values["fix-dry-run"] ?? false, strategy };
  if (values["fix-output"] !== undefined) fix.outputDir = values["fix-output"];
  if (values["fix-rule"] !== undefined) fix.rules = values["fix-rule"];
  return fix;
}
