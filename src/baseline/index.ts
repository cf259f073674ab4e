export { applyBaseline, createBaseline, type Baseline, type BaselineEntry, type BaselineInput } from "./baseline.js";
export { formatBaseline, parseBaseline, readBaselineFile, writeBaselineFile } from "./baseline-file.js";
export {
  compareReports,
  parsePreviousReport,
  readPreviousReport,
  type Comparison,
  type PreviousFinding,
  type PreviousReport,
} from "./compare-reports.js";
export { fingerprintById, fingerprintFinding, identifyListing, normaliseTitle } from "./fingerprint.js";
