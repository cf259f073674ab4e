import type { FixData } from "../engine/fix-data.js";
import type { Wording } from "../engine/render-message.js";

/** What fixes are planned with: the fix data and the wording of listing phrases (always Chinese). */
export interface FixContext {
  data: FixData;
  wording: Wording;
}
