import type { Lang } from "../model.js";
import { FORMAT_NAMES } from "../report/index.js";

/** One line of an option table: the flags as typed, then what they do in each language. */
type Row = readonly [flags: string, zh: string, en: string];

const COMMANDS: readonly Row[] = [
  [
    "listing-audit [audit] <input…> [options]",
    "审核商品（文件、文件夹、通配符、http(s) 网址；- 为标准输入）",
    "audit listings (files, folders, globs, http(s) URLs; - = stdin)",
  ],
  [
    "listing-audit explain <text> [--json]",
    "显示从一段文字里读出的包邮宣称、除外地区和条件",
    "show the claims, exclusions and conditions parsed from a text",
  ],
  [
    "listing-audit rules [--json]",
    "列出规则：标题、级别、平台和文档链接",
    "list the rules with title, severity, platform and docs link",
  ],
  [
    "listing-audit serve [--port n] [--max-runs n] [--open]",
    "启动网页工作台和 HTTP API（端口默认 4173；--host 默认 127.0.0.1，其他地址须设 --token 或 LISTING_AUDIT_TOKEN；--data 数据文件夹，默认 .listing-audit；--max-runs 同时审核的运行数，默认每 4 个 CPU 核 1 个、至少 1 个，其余排队）",
    "start the web workbench and HTTP API (port 4173; --host 127.0.0.1 by default, another address needs --token or LISTING_AUDIT_TOKEN; --data <dir>, default .listing-audit; --max-runs <n> runs at once, default one per 4 cores, at least 1, the others queue)",
  ],
  [
    "listing-audit init",
    "写一个带注释的配置文件模板（listing-audit.config.yaml）",
    "write a starter config file (listing-audit.config.yaml)",
  ],
  [
    "listing-audit worker --queue <redis://…>",
    "分布式运行的工作进程：审核队列里的分片（见 docs/scale.md）",
    "a worker of distributed runs: audits the queue's shards (see docs/scale.md)",
  ],
  [
    "listing-audit runs list|show|cancel|resume",
    "列出、查看、取消或继续队列里的运行（加 --queue <redis://…>）",
    "list, show, cancel or resume the runs on a queue (with --queue <redis://…>)",
  ],
];

const QUEUE_OPTIONS: readonly Row[] = [
  [
    "    --queue <redis://host:port[/db]>",
    "在 BullMQ 队列上分布式审核（?prefix=名称 可分开不同团队的键）",
    "audit on a BullMQ queue, spread over workers (?prefix=name keeps teams' keys apart)",
  ],
  [
    "    --shared <folder>",
    "每个工作进程都能读写的共享结果文件夹（NFS 或挂载卷）",
    "the results folder every worker can read and write (NFS or a mounted volume)",
  ],
  ["    --shard-size <n>", "每个分片的商品数（默认 20000）", "listings per shard (default 20000)"],
  [
    "    --run-id <id>",
    "运行 id（默认自动生成）；用同一个 id 再运行会接着做，不重做已完成的分片",
    "the run's id (default: generated); running again with it goes on without redoing finished shards",
  ],
  [
    "    --detach",
    "分片入队后即返回；报告用 runs resume <id> 获取",
    "return once the shards are queued; get the reports with runs resume <id>",
  ],
  ["    --concurrency <n>", "worker：同时处理的分片数（默认 1）", "worker: shards processed at once (default 1)"],
  [
    "    --metrics-port <n>",
    "worker：在 127.0.0.1 上提供 Prometheus 文本格式的 /metrics",
    "worker: serve Prometheus text at /metrics on 127.0.0.1",
  ],
  [
    "    --lock-ms <n>",
    "worker：任务锁的时长（默认 30000）；停止的工作进程的分片约在此后转交",
    "worker: job lock duration (default 30000); a dead worker's shard is handed on after about this",
  ],
];

const OPTIONS: readonly Row[] = [
  [
    "-t, --templates <path>",
    "运费模板文件或文件夹（可重复；替换配置里的 templates）",
    "shipping templates file or folder (repeatable; replaces the config's templates)",
  ],
  [
    "    --no-templates",
    "只审核文字，不用运费模板（没有模板时，写了模板 id 的商品会让运行停止：退出码 2）",
    "audit the text only, with no shipping template (without templates, listings that name template ids stop the run: exit 2)",
  ],
  [
    "-c, --config <file>",
    "配置文件（默认从当前文件夹向上找 listing-audit.config.yaml/.yml/.json，到项目根为止）",
    "config file (default: listing-audit.config.yaml/.yml/.json, looked up from the current folder up to the project root)",
  ],
  ["-p, --platform <name>", "taobao（默认）、tmall、pinduoduo、generic", "taobao (default), tmall, pinduoduo, generic"],
  [
    "-f, --format <name>[=<file>]",
    `${FORMAT_NAMES.join(", ")}（默认 text）；可重复；=文件 表示写入该文件`,
    `${FORMAT_NAMES.join(", ")} (default text); repeatable; =file writes that format to a file`,
  ],
  ["-o, --output <file>", "唯一一个没写 =文件 的 -f 的输出文件", "the file for the one -f given without =file"],
  ["    --fail-on <level>", "error（默认）、warning、info、never", "error (default), warning, info, never"],
  ["    --max-warnings <n>", "警告超过 n 个也算失败", "also fail past n warnings"],
  ["    --max-problems <n>", "输入问题超过 n 个也算失败", "also fail past n input problems"],
  [
    "    --threads <n>",
    "前 200 条之后用几个工作线程跑规则（默认 核数-1，最多 3；0 只用一个线程；上限 16）",
    "worker threads for the rules past the first 200 records (default: cores - 1, at most 3; 0 audits on one thread; at most 16)",
  ],
  [
    "    --baseline <file>",
    "已知问题：会标出，且不计入 --fail-on / --max-warnings（文件不存在时按空基线处理：全部问题按新增）",
    "known findings: marked, and not counted towards --fail-on / --max-warnings (a missing file is an empty baseline: every finding is new)",
  ],
  [
    "    --update-baseline",
    "把本次的全部问题写入 --baseline 文件（除非输入问题超过 --max-problems，否则退出码 0；若本次跳过了记录或页面，则不写入，退出码 2）",
    "write every finding of this run to the --baseline file (exit 0 unless input problems pass --max-problems; exit 2, nothing written, after a run that skipped records or pages)",
  ],
  [
    "    --force",
    "与 --update-baseline 同用：即使本次跳过了记录或页面也写入",
    "with --update-baseline: write it even after such a partial run",
  ],
  [
    "    --compare <previous.json>",
    "与上次的 -f json 报告比较：新增、已修复、未变",
    "list new, fixed and unchanged findings against a previous -f json report",
  ],
  [
    "    --fix",
    "把可自动修复的问题改写进输入文件（docs/fix.md）",
    "write the automatic fixes into the input files (docs/fix.md)",
  ],
  ["    --fix-dry-run", "只打印修改的 diff，不写文件", "print the diff of the fixes, write nothing"],
  [
    "    --fix-output <dir>",
    "把修改后的副本写到该文件夹（相对路径不变）",
    "write corrected copies under that folder, same relative paths",
  ],
  ["    --fix-rule <id>", "只修复这些规则的问题（可重复）", "fix only these rules' findings (repeatable)"],
  [
    "    --fix-strategy <text|template>",
    "text（默认）改商品文字；template 把收费地区在运费模板中改为包邮",
    "text (default) changes the listing text; template makes the charged regions free in the templates",
  ],
  [
    "    --print-config",
    "打印实际生效的全部配置（预设、配置文件、选项、默认值）后退出",
    "print the effective config (presets, config file, options, defaults) and exit",
  ],
  ["    --lang <zh|en>", "消息语言（默认 zh）", "language of messages (default zh)"],
  ["    --json", "explain、rules：输出 JSON", "explain, rules: print JSON"],
  [
    "    --quiet",
    "标准错误上只显示错误（不显示进度、警告、说明和汇总）",
    "nothing on stderr but errors (no progress, warnings, notes or summary)",
  ],
  ["-h, --help", "本帮助", "this help"],
  ["    --version", "版本号", "the version"],
];

const CRAWL_OPTIONS: readonly Row[] = [
  [
    "    --max-pages <n>",
    "最多抓取的页面数（默认 200；1 只审核一个页面）",
    "pages to fetch at most (default 200; 1 audits one page)",
  ],
  ["    --max-depth <n>", "离起始网址的最大链接深度（默认 5）", "link depth from the start URLs (default 5)"],
  ["    --concurrency <n>", "同时进行的请求数（默认 4）", "requests in flight (default 4)"],
  ["    --delay <ms>", "对同一主机两次请求的间隔（默认 250）", "pause between two requests to one host (default 250)"],
  ["    --timeout <ms>", "单个请求的超时（默认 30000）", "per-request timeout (default 30000)"],
  ["    --max-time <s>", "整个抓取的期限（默认 1800）", "deadline of the whole crawl (default 1800)"],
  ["    --user-agent <text>", "User-Agent 请求头，也用于 robots.txt", "User-Agent header and robots.txt agent"],
  ["    --include <glob>", "只跟随匹配的网址（可重复）", "only follow URLs matching (repeatable)"],
  ["    --exclude <glob>", "从不跟随匹配的网址（可重复）", "never follow URLs matching (repeatable)"],
  ["    --allow-host <host>", "链接还可以去的主机（可重复）", "further hosts links may lead to (repeatable)"],
  ["    --no-robots", "忽略 robots.txt", "ignore robots.txt"],
  [
    "    --save-pages <folder>",
    "保存抓到的每个页面（之后可离线再审）",
    "keep every fetched page (audit them again offline)",
  ],
];

const TEXT = {
  zh: {
    usage: "用法：",
    config:
      "配置：listing-audit.config.yaml（.yml、.json），从当前文件夹向上查找，到含 .git 或 package.json 的项目根为止；\n自动找到的配置不能把报告写到工作目录之外。详见 docs/config.md。.listingauditignore（与配置同目录或当前目录）列出的文件不读取。",
    options: "选项：",
    crawl: "抓取（网址输入；默认礼貌抓取，见 docs/crawling.md）：",
    queue: "分布式运行（BullMQ 与 Redis，见 docs/scale.md）：",
    exit: `退出码：
  0  没有达到 --fail-on 级别的问题，也没有超过阈值
  1  有达到 --fail-on 级别的问题，或警告 / 输入问题超过允许的数量
  2  无法完成审核：选项错误、配置或模板文件无法读取或有错、模板 id 重复、命令行指定的输入不是商品数据，
     输入里没有一条可审核的记录、输出文件同时是输入、写入失败
  3  分布式运行不完整：有分片最终失败，其商品以 run/shard-failed 报告（报告照常写出）
  130 / 143  被中断（SIGINT / SIGTERM）：原有的报告文件保持不变
  141  标准输出被提前关闭（… | head）：安静地结束`,
  },
  en: {
    usage: "Usage:",
    config:
      "Config: listing-audit.config.yaml (.yml, .json), looked up from the current folder up to the project root\n(a folder with .git or package.json); a config found this way may not write outside the working folder.\nSee docs/config.md. Files named in .listingauditignore (next to the config or here) are not read.",
    options: "Options:",
    crawl: "Crawling (URL inputs; polite defaults, see docs/crawling.md):",
    queue: "Distributed runs (BullMQ and Redis, see docs/scale.md):",
    exit: `Exit status:
  0  no finding at or above --fail-on and no threshold passed
  1  a finding at or above --fail-on, or more warnings / input problems than allowed
  2  the run could not be done: a bad option, an unreadable or invalid config or template file, a
     duplicate template id, an input named on the command line that is not a listing source, or
     inputs that yield no auditable record at all, an output file that is also an input, a failed write
  3  a distributed run is incomplete: shards failed for good, their listings reported as run/shard-failed
     (the reports are written)
  130 / 143  interrupted (SIGINT / SIGTERM): earlier report files are left as they were
  141  standard output closed early (… | head): the run stops quietly`,
  },
} as const;

/** `listing-audit --help`, in the language of `--lang` (Chinese by default). */
export function helpText(lang: Lang): string {
  const t = TEXT[lang];
  const table = (rows: readonly Row[], width: number) =>
    rows.map(([flags, zh, en]) => `  ${flags.padEnd(width)}  ${lang === "zh" ? zh : en}`).join("\n");
  return `${t.usage}
${table(COMMANDS, 42)}

${t.config}

${t.options}
${table(OPTIONS, 28)}

${t.crawl}
${table(CRAWL_OPTIONS, 28)}

${t.queue}
${table(QUEUE_OPTIONS, 36)}

${t.exit}
`;
}
