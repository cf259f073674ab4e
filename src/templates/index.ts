export { evaluateRegionFee, findAmountRow, findFreeQuantity } from "./evaluate-fee.js";
export { loadTemplateFiles, type TemplateSet } from "./load-templates.js";
export type { ParsedTemplates } from "./native-templates.js";
export { findPaidQuantity, listTemplateRegions, type PaidQuantity } from "./paid-quantity.js";
export { findDuplicateIds, parseTemplates } from "./parse-templates.js";
export { describeOrder, namedTemplateId, resolveShippingTerms } from "./shipping-terms.js";
