export { CONFIG_FILE_NAMES, findConfigFile, loadConfigFile, parseConfig, type LoadedConfig } from "./load-config.js";
export { loadConfiguredRegions, resolvePromotions } from "./resolve-config.js";
export { configSchema, FAIL_ON_LEVELS, promotionSchema, RULE_SETTINGS, type Config, type Promotion } from "./schema.js";
export { STARTER_CONFIG, writeStarterConfig } from "./starter.js";
