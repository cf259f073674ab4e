import type { FeeRow, Listing, ListingRecord, SourceItem } from "../model.js";
import {
  describeOutOfRange,
  FEE_RANGE,
  FIRST_UNITS_RANGE,
  NEXT_UNITS_RANGE,
  PRICE_RANGE,
  VOLUME_RANGE,
  WEIGHT_RANGE,
  type NumberRange,
} from "../util/number-limits.js";

const PROBLEM_CODE = "listing/out-of-range";

/**
 * A listing whose numbers are outside their plausible range (util/number-limits) is audited without
 * them, each one a located `listing/out-of-range` problem: the claims in its text still count, and no
 * fee arithmetic runs on a weight of 1e-16 or a price of 1e303. A template the record carries (a page's
 * JSON-LD shipping details) with such a number is dropped the same way. Flat fees (`fees.*`) are checked
 * where they become a template (templates/shipping-terms.ts: `listing/invalid-fee`).
 */
export function limitRecordNumbers(record: ListingRecord): SourceItem[] {
  const problems: SourceItem[] = [];
  const report = (field: string, message: string) =>
    problems.push({
      kind: "problem",
      problem: {
        code: PROBLEM_CODE,
        message: `listing ${record.listing.id}: ${field}: ${message}; audited without it`,
        source: { ...record.source, field },
        listingId: record.listing.id,
      },
      skipped: false,
    });
  const listing: Listing = { ...record.listing };
  for (const [field, range] of [
    ["price", PRICE_RANGE],
    ["weight", WEIGHT_RANGE],
    ["volume", VOLUME_RANGE],
  ] as const) {
    const message = check(listing[field], range);
    if (message !== undefined) {
      report(field, message);
      delete listing[field];
    }
  }
  if (listing.skus?.some((sku) => check(sku.price, PRICE_RANGE) !== undefined)) {
    listing.skus = listing.skus.map((sku, index) => {
      const message = check(sku.price, PRICE_RANGE);
      if (message === undefined) return sku;
      report(`skus[${index}].price`, message);
      return { name: sku.name };
    });
  }
  let template = record.template;
  const templateMessage =
    template && checkTemplateRows(template.services.flatMap((s) => (s.default ? [s.default, ...s.rows] : s.rows)));
  if (templateMessage !== undefined) {
    report("shippingDetails", templateMessage);
    template = undefined;
  }
  if (problems.length === 0) return [{ kind: "listing", record }];
  const { template: _dropped, ...rest } = record;
  return [...problems, { kind: "listing", record: { ...rest, ...(template ? { template } : {}), listing } }];
}

function check(value: number | undefined, range: NumberRange): string | undefined {
  return value === undefined ? undefined : describeOutOfRange(value, range);
}

function checkTemplateRows(rows: readonly FeeRow[]): string | undefined {
  for (const row of rows) {
    const message =
      check(row.first, FIRST_UNITS_RANGE) ??
      check(row.next, NEXT_UNITS_RANGE) ??
      check(row.firstFee, FEE_RANGE) ??
      check(row.nextFee, FEE_RANGE);
    if (message !== undefined) return `the shipping template of the page: ${message}`;
  }
  return undefined;
}
