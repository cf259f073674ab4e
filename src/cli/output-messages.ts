import type { Lang } from "../model.js";

/** What an input given for output is to the run, in a refusal message. */
export type InputRole = "input" | "baseline" | "compare" | "config" | "templates";

/** Messages about the run's own files and streams (outputs, interruption), in the run's language. */
export interface OutputMessages {
  standardOutput: string;
  interrupted: string;
  outputIsInput(file: string, role: InputRole): string;
  /** After the file name: why it cannot be opened. */
  cannotOpenOutput(code: string): string;
  cannotWriteOutput(output: string, code: string): string;
  wrote(files: readonly string[]): string;
  savePagesNotAFolder(folder: string): string;
  savePagesUnwritable(folder: string, code: string): string;
}

const ZH_ROLES: Record<InputRole, string> = {
  input: "输入文件",
  baseline: "--baseline 基线文件",
  compare: "--compare 对比报告",
  config: "配置文件",
  templates: "运费模板文件",
};
const EN_ROLES: Record<InputRole, string> = {
  input: "an input file",
  baseline: "the --baseline file",
  compare: "the --compare report",
  config: "the config file",
  templates: "a template file",
};

const ZH_CODES: Record<string, string> = {
  ENOSPC: "磁盘空间不足",
  EDQUOT: "超出磁盘配额",
  EACCES: "没有写入权限",
  EPERM: "没有写入权限",
  ENOENT: "文件夹不存在",
  ENOTDIR: "路径中有一段不是文件夹",
  EISDIR: "这是一个文件夹",
  EROFS: "只读文件系统",
  EFBIG: "文件过大",
  EIO: "输入输出错误",
};
const EN_CODES: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOENT: "the folder does not exist",
  ENOTDIR: "part of the path is not a folder",
  EISDIR: "it is a folder",
  EROFS: "read-only file system",
  EFBIG: "file too large",
  EIO: "input/output error",
};

/** `磁盘空间不足（ENOSPC）`; a code without a description stands alone. */
function describe(descriptions: Record<string, string>, code: string, open: string, close: string): string {
  const description = descriptions[code];
  return description === undefined ? code : `${description}${open}${code}${close}`;
}

const ZH: OutputMessages = {
  standardOutput: "标准输出",
  interrupted: "已中断",
  outputIsInput: (file, role) =>
    `输出文件 ${file} 同时是${ZH_ROLES[role]}，写报告会覆盖它：请换一个输出文件名（未写入任何文件）`,
  cannotOpenOutput: (code) => `无法写入输出文件：${describe(ZH_CODES, code, "（", "）")}`,
  cannotWriteOutput: (output, code) =>
    `写入${output}失败：${describe(ZH_CODES, code, "（", "）")}；报告没有写完，原有的报告文件保持不变`,
  wrote: (files) => `已写入 ${files.join("、")}`,
  savePagesNotAFolder: (folder) => `--save-pages ${folder} 是一个文件，不是文件夹：请指定一个文件夹（不存在时会创建）`,
  savePagesUnwritable: (folder, code) => `--save-pages ${folder} 无法写入：${describe(ZH_CODES, code, "（", "）")}`,
};

const EN: OutputMessages = {
  standardOutput: "standard output",
  interrupted: "interrupted",
  outputIsInput: (file, role) =>
    `output file ${file} is also ${EN_ROLES[role]}, and the report would overwrite it: choose another output file (nothing was written)`,
  cannotOpenOutput: (code) => `cannot write the output file: ${describe(EN_CODES, code, " (", ")")}`,
  cannotWriteOutput: (output, code) =>
    `writing ${output} failed: ${describe(EN_CODES, code, " (", ")")}; the report is incomplete and earlier report files are unchanged`,
  wrote: (files) => `wrote ${files.join(", ")}`,
  savePagesNotAFolder: (folder) =>
    `--save-pages ${folder} is a file, not a folder: name a folder (it is created when missing)`,
  savePagesUnwritable: (folder, code) =>
    `--save-pages ${folder} cannot be written: ${describe(EN_CODES, code, " (", ")")}`,
};

export function outputMessages(lang: Lang): OutputMessages {
  return lang === "en" ? EN : ZH;
}
