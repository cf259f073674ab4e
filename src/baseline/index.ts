export {
  applyBaseline,
  createBaseline,
  type Baseline,
  type BaselineEntry,
  type BaselineInput,
  type KnownFindings,
} from "./baseline.js";
export {
  formatBaseline,
  parseBaseline,
  readBaselineFile,
  readKnownFindings,
  writeBaselineFile,
} from "./baseline-file.js";
export {
  compareReports,
  createReportMatcher,
  parsePreviousReport,
  readPreviousReport,
  type Comparison,
  type PreviousFinding,
  type PreviousReport,
  type ReportMatcher,
} from "./compare-reports.js";
export { fingerprintById, fingerprintFinding, identifyListing, normaliseTitle } from "./fingerprint.js";
export { baselineMessages, type BaselineMessages } from "./messages.js";
