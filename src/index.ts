/** The public API of listing-auditor. */
export { audit, loadConfiguredLexicon, OutputWriteError, readToolInfo } from "./audit.js";
export type { AuditOptions, AuditOutcome, AuditOutput, AuditProgress, FailOn } from "./audit.js";
export * from "./model.js";
export {
  CONFIG_FILE_NAMES,
  configSchema,
  findConfigFile,
  loadConfigFile,
  loadConfiguredRegions,
  parseConfig,
  resolvePromotions,
  writeStarterConfig,
} from "./config/index.js";
export type { Config, LoadedConfig, Promotion } from "./config/index.js";
export { loadRegionCatalogue } from "./regions/load-regions.js";
export { createMemorySpool, FORMAT_NAMES, isFormatName, reporters } from "./report/index.js";
export type { FormatName, Reporter, ReporterFactory, RuleDescriptor, RunInfo, TextSpool } from "./report/index.js";
export { checkListing, NotAListingSourceError, readers, readSources, resolveInputs } from "./sources/index.js";
export type { ListingInput, ReaderOptions, ResolvedInputs, SourceInput, SourceReader } from "./sources/index.js";
export {
  evaluateRegionFee,
  findPaidQuantity,
  loadTemplateFiles,
  parseTemplates,
  resolveShippingTerms,
} from "./templates/index.js";
export type { PaidQuantity, TemplateSet } from "./templates/index.js";
export { crawlSources, CRAWL_DEFAULTS } from "./sources/crawl/index.js";
export type { CrawlOptions } from "./sources/crawl/index.js";
export { createHtmlPageReader } from "./sources/html-page-reader.js";
export {
  applyBaseline,
  compareReports,
  createBaseline,
  fingerprintFinding,
  readBaselineFile,
  readKnownFindings,
  writeBaselineFile,
} from "./baseline/index.js";
export { createAuditor, describeRules } from "./engine/engine.js";
export { loadRulePacks } from "./engine/rule-packs.js";
export {
  analyseListing,
  createParser,
  explainText,
  foldText,
  loadLexicon,
  mergeLexicon,
  parseText,
  toVisibleText,
} from "./text/index.js";
export type { Explanation, Lexicon, ParseContext, TextParser, VisibleText } from "./text/index.js";
export type { LocatedError, Result } from "./util/result.js";
export { formatLocatedError } from "./util/result.js";
export { applyEdits, planFixes } from "./fix/plan-fixes.js";
export type { FixContext } from "./fix/fix-context.js";
export type { FieldEdit, FixPlan, PlanOptions, RefusedFix } from "./fix/plan-fixes.js";
export { loadFixContext } from "./fix/load-fix-context.js";
