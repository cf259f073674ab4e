export { IGNORE_FILE_NAME, loadIgnoreRules, type IgnoreRules } from "./ignore-file.js";
export { createListingFilters, resolveListingPlatform, type ListingFilters } from "./listing-filters.js";
export { resolveDocsUrl } from "./docs-url.js";
export {
  checkFoundConfigOutputs,
  CONFIG_FILE_NAMES,
  describeUnknownKey,
  findConfigFile,
  loadConfigFile,
  parseConfig,
  type LoadedConfig,
} from "./load-config.js";
export { checkRuleIds } from "./rule-ids.js";
export { listPresetNames, loadPreset, PRESETS_DIR, type LoadedPreset } from "./presets.js";
export {
  type CommandLineSettings,
  type EffectiveSettings,
  layeredSetting,
  resolveEffectiveSettings,
  SETTING_DEFAULTS,
} from "./effective-settings.js";
export { type DataFiles, formatEffectiveConfig } from "./print-config.js";
export { loadConfiguredRegions, resolvePromotions } from "./resolve-config.js";
export {
  allowSchema,
  configSchema,
  FAIL_ON_LEVELS,
  overrideSchema,
  presetSchema,
  promotionSchema,
  RULE_SETTINGS,
  type Allow,
  type Config,
  type Override,
  type Preset,
  type Promotion,
} from "./schema.js";
export { createStarterConfig, INSTALLED_SCHEMA, schemaPathFor, writeStarterConfig } from "./starter.js";
