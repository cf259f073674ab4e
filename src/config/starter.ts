import { writeFile } from "node:fs/promises";
import path from "node:path";
import { PACKAGE_ROOT } from "../util/package-root.js";
import { bilingual, type Result } from "../util/result.js";
import { CONFIG_FILE_NAMES, findConfigFile } from "./load-config.js";

/** Where an installed package's schema is, seen from the project that depends on it. */
export const INSTALLED_SCHEMA = "./node_modules/listing-auditor/schemas/config.schema.json";

/**
 * What `listing-audit init` writes: every key, commented, with the defaults. The first line points
 * editors (yaml-language-server: VS Code, JetBrains, Neovim) at the JSON Schema for completion and checks.
 */
export function createStarterConfig(schemaPath: string = INSTALLED_SCHEMA): string {
  return `# yaml-language-server: $schema=${schemaPath}
${STARTER_BODY}`;
}

const STARTER_BODY = `# listing-audit configuration (docs/config.md). Command-line options win over these keys.

# Built-in presets applied first: taobao:recommended, tmall:strict, pinduoduo:recommended, generic:recommended
# extends: [taobao:recommended]

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

# Rule severities for some listings only (by platform, category glob, id glob); later entries win
# overrides:
#   - match: { category: "生鲜/**" }
#     rules: { shipping/claim-undeliverable-region: error }

# Known-good listings and phrases: globs or literal text (never regular expressions)
# allow:
#   listings: ["9*"]                       # listing ids: not audited
#   urls: ["https://shop.example.com/outlet/**"]
#   phrases: [顺丰包邮]                     # findings whose claim contains this are dropped

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

# CSS selectors for crawled or saved product pages, per site (the first rule whose match fits is used)
# extractors:
#   - match: shop.example.com
#     title: h1.product-title
#     shipping: .shipping-note

# Country of offers whose page data names none (ISO 3166-1 alpha-2)
# country: CN

# error (default) | warning | info | never — the lowest severity that fails the run (exit 1)
failOn: error

# Output formats: text, json, sarif, junit, github, csv, markdown, html; name=file writes to a file
# format: [text, json=listing-audit.json]
`;

/**
 * The schema path for a config written in `cwd`: relative to this package when `cwd` is inside it or it
 * is installed below `cwd`, else where a local install would put it.
 */
export function schemaPathFor(cwd: string): string {
  const relative = path
    .relative(path.resolve(cwd), path.join(PACKAGE_ROOT, "schemas", "config.schema.json"))
    .split(path.sep)
    .join("/");
  const nearby = !path.isAbsolute(relative) && (!relative.startsWith("../") || /^(\.\.\/)+schemas\//.test(relative));
  return nearby ? (relative.startsWith(".") ? relative : `./${relative}`) : INSTALLED_SCHEMA;
}

/** Writes the starter config into `cwd`; refuses when a config file is already there. */
export async function writeStarterConfig(cwd: string): Promise<Result<string>> {
  const existing = await findConfigFile(cwd);
  if (existing && path.dirname(existing) === path.resolve(cwd)) {
    return {
      ok: false,
      errors: [
        {
          file: path.basename(existing),
          key: "",
          ...bilingual("配置文件已存在，未覆盖", "a config file already exists; not overwritten"),
        },
      ],
    };
  }
  const file = path.join(cwd, CONFIG_FILE_NAMES[0]);
  try {
    await writeFile(file, createStarterConfig(schemaPathFor(cwd)), { flag: "wx" });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return {
      ok: false,
      errors: [
        { file: CONFIG_FILE_NAMES[0], key: "", ...bilingual(`无法写入（${reason}）`, `cannot write: ${reason}`) },
      ],
    };
  }
  return { ok: true, value: file };
}
