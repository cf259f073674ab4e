import { readFile } from "node:fs/promises";
import path from "node:path";
import { BUILTIN_RULES_DIR } from "../engine/rule-packs.js";
import { parseRuleTexts } from "../engine/rule-texts.js";
import type { Lang, RegionCatalogue } from "../model.js";
import { RULES } from "../rules/registry.js";
import type { Result } from "../util/result.js";
import type { FixContext } from "./fix-context.js";

/** Reads rules/rules.yaml (validated like every run does) for its `fixes`; a file without them is an error there. */
export async function loadFixContext(regions: RegionCatalogue, lang: Lang): Promise<Result<FixContext>> {
  const file = path.join(BUILTIN_RULES_DIR, "rules.yaml");
  const display = path.relative(process.cwd(), file) || file;
  const texts = parseRuleTexts(await readFile(file, "utf8"), display, RULES);
  if (!texts.ok) return texts;
  const data = texts.value.fixes;
  if (data === undefined)
    return { ok: false, errors: [{ file: display, key: "fixes", message: "no `fixes` section" }] };
  // Listing phrases are written in Chinese whatever the report language; reasons follow the run's language.
  return { ok: true, value: { data, wording: { texts: texts.value, lang, regions } } };
}
