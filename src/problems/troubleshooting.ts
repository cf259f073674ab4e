import {
  type Bilingual,
  PROBLEM_CODES,
  PROBLEM_GROUPS,
  PROBLEM_SEVERITIES,
  PROBLEMS,
  type ProblemCode,
  type ProblemEntry,
  type ProblemGroup,
  type ProblemSeverity,
} from "./catalogue.js";

type DocLang = keyof Bilingual;

/** The troubleshooting pages rendered from the catalogue, by file name under docs/. */
export const TROUBLESHOOTING_FILES = { en: "troubleshooting.md", zh: "troubleshooting.zh.md" } as const;

const PAGE = {
  title: { zh: "输入问题排查", en: "Troubleshooting bad input" },
  generated: {
    zh: "本页由 src/problems/catalogue.ts 生成（npm run docs:troubleshooting）：请修改问题目录，不要直接修改本页。",
    en: "Generated from src/problems/catalogue.ts by npm run docs:troubleshooting: edit the catalogue, not this page.",
  },
  otherLanguage: {
    zh: "[English](troubleshooting.md)",
    en: "[中文](troubleshooting.zh.md)",
  },
  intro: {
    zh: "listing-audit 不会因为一条坏记录而停下。无法使用的记录会成为一个**问题**（problem）：一个固定的 `code`、文件（或网址）、记录的 `row` 和它开始的 `line`，以及一条说明。每种报告格式都在 `problems` 下列出问题，并在汇总中计数；其余记录照常审核，`--max-problems <n>` 让问题超过这个数时运行失败（退出码 1）。",
    en: "listing-audit never stops on one bad record. A record it cannot use becomes a **problem**: a stable `code`, the file (or URL), the record's `row` and the `line` where it starts, and a message. Problems are listed under `problems` in every report format and counted in the summary; every other record is still audited, and `--max-problems <n>` makes a run fail (exit 1) past that many.",
  },
  errors: {
    zh: "在运行开始之前就让它停下的错误（退出码 2：选项错误、配置或模板文件无效、输出文件无法写入、输入中没有任何可审核的记录……）见 [errors.md](errors.md)。",
    en: "What stops a run before it starts (exit 2: a bad option, an invalid config or template file, an output file that cannot be written, inputs that yield no auditable record …) is described in [errors.md](errors.md).",
  },
  examples: {
    zh: "问题的说明大多是英文的，下面的示例就是报告中的原文。坏文件的示例都在 `test/bad-inputs/` 中，它们的准确输出在 `test/bad-inputs/expected.yaml`，由测试检查。可以在那个文件夹中自己运行，例如 `listing-audit csv-field-count.csv -t _templates.yaml -f json --fail-on never`。",
    en: "Most problem messages are in English; the examples below are quoted as reports print them. The bad files have their examples in `test/bad-inputs/` and their exact output in `test/bad-inputs/expected.yaml`, checked by the test suite. Run one yourself from that folder, e.g. `listing-audit csv-field-count.csv -t _templates.yaml -f json --fail-on never`.",
  },
  severities: { zh: "严重程度", en: "Severities" },
  columns: {
    zh: ["代码", "严重程度", "示例说明", "发生了什么", "怎么办"],
    en: ["code", "severity", "example message", "what happened", "what to do"],
  },
  severityColumns: { zh: ["严重程度", "含义"], en: ["severity", "meaning"] },
} as const;

/** A troubleshooting page in one language: every group of the catalogue, every code in catalogue order. */
export function renderTroubleshooting(lang: DocLang): string {
  const lines = [
    `<!-- ${PAGE.generated[lang]} -->`,
    "",
    `# ${PAGE.title[lang]}`,
    "",
    PAGE.otherLanguage[lang],
    "",
    PAGE.intro[lang],
    "",
    PAGE.errors[lang],
    "",
    PAGE.examples[lang],
    "",
    `## ${PAGE.severities[lang]}`,
    "",
    ...table(
      PAGE.severityColumns[lang],
      (Object.keys(PROBLEM_SEVERITIES) as ProblemSeverity[]).map((severity) => [
        `\`${severity}\``,
        PROBLEM_SEVERITIES[severity][lang],
      ]),
    ),
  ];
  for (const group of Object.keys(PROBLEM_GROUPS) as ProblemGroup[]) lines.push("", ...renderGroup(group, lang));
  return `${lines.join("\n")}\n`;
}

function renderGroup(group: ProblemGroup, lang: DocLang): string[] {
  const { title, ...rest } = PROBLEM_GROUPS[group];
  const note: Bilingual | undefined = "note" in rest ? rest.note : undefined;
  const codes = PROBLEM_CODES.filter((code) => PROBLEMS[code].group === group);
  return [
    `## ${title[lang]}`,
    "",
    ...(note ? [note[lang], ""] : []),
    ...table(
      PAGE.columns[lang],
      codes.map((code) => renderRow(code, lang)),
    ),
  ];
}

function renderRow(code: ProblemCode, lang: DocLang): string[] {
  const entry: ProblemEntry = PROBLEMS[code];
  return [
    `\`${code}\``,
    `\`${entry.severity}\``,
    (entry.examples ?? [])
      .map((example) => codeSpan(typeof example === "string" ? example : example[lang]))
      .join("<br>"),
    entry.summary[lang],
    entry.action[lang],
  ];
}

function table(header: readonly string[], rows: readonly string[][]): string[] {
  return [header, header.map(() => "---"), ...rows].map((cells) => `| ${cells.map(escapeCell).join(" | ")} |`);
}

/** A message as a code span: a backtick inside it takes a longer fence. */
function codeSpan(text: string): string {
  const fence = text.includes("`") ? "``" : "`";
  return `${fence}${text}${fence}`;
}

/** A pipe ends a table cell, even inside a code span: it is escaped in every cell. */
function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|");
}
