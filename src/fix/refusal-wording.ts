import type { Lang } from "../model.js";
import type { FixData } from "../engine/fix-data.js";
import type { RefusedFix } from "./plan-fixes.js";

/** Why a fix was refused, in words: the reason of rules.yaml `fixes.reasons` with its data filled in. */
export function refusalWording(refused: RefusedFix, reasons: FixData["reasons"], lang: Lang): string {
  const wording = reasons[refused.reason]?.[lang] ?? refused.reason;
  return wording.replace(/\{([A-Za-z]+)\}/g, (_, key: string) => refused.data[key] ?? "");
}
