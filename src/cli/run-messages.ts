import { say, type Say } from "./say.js";

/** What `listing-audit [audit]` says on stderr about a run, in both languages. */
export const RUN_MESSAGES = {
  noInput: say(
    "没有指定输入：请给出商品文件、文件夹、通配符、网址，或用 - 表示标准输入",
    "no input given: name listing files, folders, globs, URLs or - for stdin",
  ),
  noAuditableRecord: say("输入里没有一条可审核的记录", "the inputs yield no auditable record"),
  warning: say("警告：", "warning: "),
  tooManyWarnings: (count: number, max: number): Say =>
    say(`警告 ${count} 个，超过 --max-warnings ${max}`, `${count} warnings, more than --max-warnings ${max}`),
  tooManyProblems: (count: number, max: number): Say =>
    say(`输入问题 ${count} 个，超过 --max-problems ${max}`, `${count} input problems, more than --max-problems ${max}`),
  ignoredFiles: (count: number): Say =>
    say(`${count} 个输入文件被 .listingauditignore 忽略`, `${count} input files ignored by .listingauditignore`),
  allowlisted: (count: number): Say =>
    say(`${count} 个商品在白名单中（未审核）`, `${count} listings allowlisted (not audited)`),
  suppressed: (count: number): Say =>
    say(`${count} 个问题被白名单短语屏蔽`, `${count} findings suppressed by allowlisted phrases`),
  progress: (listings: number, rate: number, problems: number): Say =>
    say(
      `已审核 ${listings} 个商品 · ${rate} 个/秒 · 输入问题 ${problems} 个`,
      `${listings} listings · ${rate}/s · ${problems} problems`,
    ),
} as const;
