import type { LineCounter, YAMLError } from "yaml";

/** A YAML syntax error as the user should read it: a line of the file, what is wrong and what to do. */
export interface YamlErrorText {
  line: number;
  message: string;
  zh: string;
}

/**
 * The parser reports an unclosed quote or bracket where the text ends, which can be past the last line;
 * the opening quote or bracket is what the user must fix, so the error points there.
 */
export function describeYamlError(error: YAMLError, text: string, lines: LineCounter): YamlErrorText {
  const first = error.message.split("\n")[0] ?? error.message;
  // The parser's own advice for this one is for programmers (parseAllDocuments).
  const plain =
    error.code === "MULTIPLE_DOCS"
      ? "the file holds more than one YAML document"
      : first.replace(/ at line \d+, column \d+:?$/, "");
  const lastLine = lines.linePos(text.trimEnd().length).line;
  const lineOf = (offset: number) => Math.min(lines.linePos(offset).line, lastLine);
  const at = lineOf(error.pos[0]);
  const quote = /^Missing closing (["'])quote/.exec(plain)?.[1];
  if (quote !== undefined) {
    const open = text.lastIndexOf(quote, error.pos[0] - 1);
    return {
      line: open < 0 ? at : lineOf(open),
      message: `unclosed ${quote}: this line opens a quoted text that never ends; add the closing ${quote}`,
      zh: `引号没有闭合：这一行的 ${quote} 缺少结尾的 ${quote}，请补上`,
    };
  }
  const flow = /^Flow (sequence|map) in block collection/.exec(plain)?.[1];
  if (flow !== undefined) {
    const [opening, closing, zhName] = flow === "sequence" ? ["[", "]", "方括号"] : ["{", "}", "花括号"];
    const open = findUnclosed(text, error.pos[0], opening, closing);
    return {
      line: open < 0 ? at : lineOf(open),
      message: `unclosed ${opening}: add the closing ${closing}, or indent the lines that continue it`,
      zh: `${zhName}没有闭合：这一行的 ${opening} 缺少结尾的 ${closing}，请补上（续行要比键多缩进）`,
    };
  }
  const hint = HINTS[error.code];
  if (hint) return { line: at, message: `${plain}: ${hint.en}`, zh: hint.zh(lineText(text, at)) };
  return {
    line: at,
    message: plain,
    zh: `YAML 语法错误（${error.code}）：请检查这一行的缩进（只用空格）、引号是否成对、冒号后是否有空格`,
  };
}

const HINTS: Partial<Record<YAMLError["code"], { en: string; zh: (line: string) => string }>> = {
  TAB_AS_INDENT: {
    en: "indent with spaces",
    zh: () => "缩进用了制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格",
  },
  MULTILINE_IMPLICIT_KEY: {
    en: 'write "key: value" with a space after the colon, and a half-width colon',
    zh: (line) =>
      line.includes("：")
        ? "这一行用了全角冒号「：」：键和值之间要用半角冒号 : 加一个空格（如 id: T1）"
        : "这一行不是「键: 值」：冒号后要加一个空格（写成 id: T1，不是 id:T1）",
  },
  BAD_INDENT: {
    en: "align keys of one level with the same number of spaces",
    zh: () => "缩进不对：同一层的键要用同样多的空格对齐",
  },
  MISSING_CHAR: {
    en: "check the indentation and the commas",
    zh: () => "缩进不对，或缺少逗号、列表项开头的「- 」：同一层要对齐，列表项写成「- 值」",
  },
  DUPLICATE_KEY: { en: "remove or rename one of them", zh: () => "键重复：同一层里这个键已经写过一次，请删掉或改名" },
  MULTIPLE_DOCS: {
    en: "keep one document per file (remove the ---, or split the file)",
    zh: () => "文件里有多个文档（---）：一个文件只能有一个，请删掉 --- 或拆成两个文件",
  },
  BLOCK_IN_FLOW: {
    en: "inside [ ] and { } write items separated by commas",
    zh: () => "方括号或花括号里不能用「- 」或换行缩进的写法：请用逗号分隔各项",
  },
  BAD_SCALAR_START: {
    en: "quote a value that starts with a special character",
    zh: () => "值以特殊字符开头（如 @ ` % |）：请给这个值加上引号",
  },
};

/** Offset of the `opening` bracket not closed before `end`, or -1. */
function findUnclosed(text: string, end: number, opening: string, closing: string): number {
  let depth = 0;
  for (let i = Math.min(end, text.length) - 1; i >= 0; i -= 1) {
    const c = text[i];
    if (c === closing) depth += 1;
    else if (c === opening) {
      if (depth === 0) return i;
      depth -= 1;
    }
  }
  return -1;
}

function lineText(text: string, line: number): string {
  let start = 0;
  for (let n = 1; n < line; n += 1) {
    const next = text.indexOf("\n", start);
    if (next < 0) return "";
    start = next + 1;
  }
  const end = text.indexOf("\n", start);
  return text.slice(start, end < 0 ? text.length : end);
}
