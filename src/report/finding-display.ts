import type { ClaimRef, Finding, FindingRegion, ListingRecord, SourceLocation } from "../model.js";
import type { ReportLabels } from "./report-labels.js";

/** `new` / `baselined` once a baseline was applied to the finding, else undefined. */
export function baselineStatus(finding: Finding): "new" | "baselined" | undefined {
  if (finding.baselined === undefined) return undefined;
  return finding.baselined ? "baselined" : "new";
}

/** `new` when a baseline or `--compare` says the finding is new, `baselined` when the baseline knows it. */
export function findingStatus(finding: Finding): "new" | "baselined" | undefined {
  return baselineStatus(finding) ?? (finding.compared === "new" ? "new" : undefined);
}

/** `1023 shipping/claim-charged-region 「包邮」`: a finding named for a list of new or fixed ones. */
export function nameFinding(
  finding: Pick<Finding, "listingId" | "ruleId"> & { claim: { text: string } | null },
): string {
  return `${finding.listingId} ${finding.ruleId}${finding.claim ? ` 「${finding.claim.text}」` : ""}`;
}

/** `file:line`, the URL of a crawled page, or `-` when the input has no name. */
export function formatLocation(source: SourceLocation): string {
  if (source.file !== undefined) return source.line === undefined ? source.file : `${source.file}:${source.line}`;
  return source.url ?? "-";
}

/** `新疆维吾尔自治区 ¥20` (plus the paying quantity when above 1). */
export function formatRegion(region: FindingRegion, labels: ReportLabels): string {
  if (region.fee === null) return region.name;
  const quantity =
    region.quantity !== undefined && region.quantity !== null && region.quantity > 1
      ? ` (${labels.atQuantity(region.quantity)})`
      : "";
  return `${region.name} ¥${formatYuan(region.fee)}${quantity}`;
}

/** Yuan without trailing zeros: 20, 9.9, 0.01. */
export function formatYuan(amount: number): string {
  return String(Math.round(amount * 100) / 100);
}

/** The claim's field as a reader knows it: `标题`, `SKU 2`. */
export function formatField(claim: ClaimRef, labels: ReportLabels): string {
  const name = labels.fields[claim.field];
  return claim.index === undefined ? name : `${name} ${claim.index + 1}`;
}

/** A claim in its text, split for highlighting: `before` and `after` are up to `width` characters of context. */
export interface ClaimContext {
  before: string;
  claim: string;
  after: string;
}

/**
 * The claim with surrounding text from the listing, when the offsets still point at the claim in the raw field
 * (plain-text fields; offsets are into visible text, see docs/report-format.md#offsets, which differs for HTML
 * descriptions).
 */
export function findClaimContext(record: ListingRecord, claim: ClaimRef, width = 24): ClaimContext | undefined {
  const text = fieldText(record, claim);
  if (text === undefined || text.slice(claim.start, claim.end) !== claim.text) return undefined;
  const from = Math.max(0, claim.start - width);
  const to = Math.min(text.length, claim.end + width);
  const clean = (s: string) => s.replace(/\s+/g, " ");
  return {
    before: (from > 0 ? "…" : "") + clean(text.slice(from, claim.start)),
    claim: claim.text,
    after: clean(text.slice(claim.end, to)) + (to < text.length ? "…" : ""),
  };
}

function fieldText(record: ListingRecord, claim: ClaimRef): string | undefined {
  const listing = record.listing;
  if (claim.field === "sku") return claim.index === undefined ? undefined : listing.skus?.[claim.index]?.name;
  return listing[claim.field];
}

/** Text on one line, cut to `limit` characters (code points, so no surrogate pair is split) with an ellipsis. */
export function truncateText(text: string, limit: number): string {
  const chars = Array.from(text.replace(/\s+/g, " ").trim());
  return chars.length <= limit ? chars.join("") : `${chars.slice(0, limit - 1).join("")}…`;
}
