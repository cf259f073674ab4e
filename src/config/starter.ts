import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Result } from "../util/result.js";
import { CONFIG_FILE_NAMES, findConfigFile } from "./load-config.js";

/** What `listing-audit init` writes: every key, commented, with the defaults. */
export const STARTER_CONFIG = `# yaml-language-server: $schema=./node_modules/listing-auditor/schemas/config.schema.json
# listing-audit configuration. Command-line options win over these keys.

# taobao (default) | tmall | pinduoduo | generic — selects rule severities and defaults
platform: taobao

# zh (default) | en — language of messages
lang: zh

# Shipping template files or folders, relative to this file (-t on the command line replaces them)
# templates:
#   - templates/

# Rule severities: error | warning | info | off
# rules:
#   shipping/vague-exclusion: off
#   shipping/overseas-not-stated: info

# The regions that 偏远地区 stands for (names, aliases or GB/T 2260 codes)
# remoteRegions: [新疆, 西藏, 青海, 内蒙古, 甘肃, 宁夏]

# Shop-wide promotions (满额/满件包邮); each acts as a freeWhen row of every template
# promotions:
#   - areas: [全国]
#     minAmount: 99

# Extra phrases for the claim parser, keyed like rules/lexicon/zh-CN.yaml (lists are appended)
# lexicon:
#   buyerPays: [运费买家出]

# Column headers of a generic CSV/XLSX export, by listing field
# columns:
#   id: 商品ID
#   title: 商品名称

# error (default) | warning | info | never — the lowest severity that fails the run (exit 1)
failOn: error

# Output formats: text, json, sarif, junit, github, csv, markdown, html; name=file writes to a file
# format: [text, json=listing-audit.json]
`;

/** Writes the starter config into `cwd`; refuses when a config file is already there. */
export async function writeStarterConfig(cwd: string): Promise<Result<string>> {
  const existing = await findConfigFile(cwd);
  if (existing && path.dirname(existing) === path.resolve(cwd)) {
    return { ok: false, errors: [{ file: path.basename(existing), key: "", message: "a config file already exists; not overwritten" }] };
  }
  const file = path.join(cwd, CONFIG_FILE_NAMES[0]);
  try {
    await writeFile(file, STARTER_CONFIG, { flag: "wx" });
  } catch (error) {
    return { ok: false, errors: [{ file: CONFIG_FILE_NAMES[0], key: "", message: `cannot write: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }] };
  }
  return { ok: true, value: file };
}
