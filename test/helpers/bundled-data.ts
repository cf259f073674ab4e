import { loadRegionCatalogue } from "../../src/regions/load-regions.js";
import { loadRulePacks } from "../../src/engine/rule-packs.js";
import { loadLexicon } from "../../src/text/lexicon.js";
import { formatLocatedError, type Result } from "../../src/util/result.js";

/** The value of an ok result; a failed one stops the test file with every located error. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(result.errors.map(formatLocatedError).join("\n"));
  return result.value;
}

/** The bundled region catalogue, Chinese lexicon and rule packs, as the rule tests audit with them. */
export async function loadBundledData() {
  return {
    regions: unwrap(await loadRegionCatalogue()),
    lexicon: unwrap(await loadLexicon()),
    packs: unwrap(await loadRulePacks()),
  };
}
