import type { SourceItem } from "../../model.js";
import { loadTaobaoColumns } from "../column-maps/load-column-maps.js";
import { matchHeader } from "../column-maps/match-header.js";
import { NotAListingSourceError, type SourceInput, type SourceReader } from "../source.js";
import { readDelimitedListings, type DelimitedLayout } from "./read-delimited.js";
import { sniffCsv } from "./sniff-csv.js";
import { findSkuColumns } from "../column-maps/sku-columns.js";

const EXPECTED =
  "a 淘宝助理 CSV export: an optional `version 1.00` line, then English and/or Chinese header lines naming at least the title column";

/**
 * The layout of a 淘宝助理 export: `version` line (optional), a header line matched by name, and,
 * when the next line is a header too (English then Chinese), that line, which fills the fields the
 * first lacks. Undefined when the head is not such an export.
 */
export function resolveTaobaoLayout(head: Buffer): DelimitedLayout | undefined {
  const sniff = sniffCsv(head);
  if (!sniff) return undefined;
  const columns = loadTaobaoColumns();
  const start = sniff.versionLine ? 1 : 0;
  const header = sniff.rows[start];
  const match = header && matchHeader(header, columns);
  if (!header || !match) return undefined;
  const next = sniff.rows[start + 1];
  const second = next && matchHeader(next, columns);
  if (!second)
    return withSkuColumns({ sniff, headerRecords: start + 1, header, match, conventions: "taobao" }, [header]);
  return withSkuColumns(
    {
      sniff,
      headerRecords: start + 2,
      header,
      match: { ...match, indexes: { ...second.indexes, ...match.indexes } },
      conventions: "taobao",
    },
    [header, next],
  );
}

function withSkuColumns(layout: DelimitedLayout, headers: string[][]): DelimitedLayout {
  const skuColumns = findSkuColumns(headers);
  return skuColumns ? { ...layout, skuColumns } : layout;
}

/** 淘宝助理 (Taobao Assistant) CSV 数据包 in any encoding, delimiter and column layout. */
export const taobaoCsvReader: SourceReader = {
  format: "taobao-csv",
  detect: (input) => resolveTaobaoLayout(input.head) !== undefined,
  read: (input) => readTaobaoCsv(input),
};

async function* readTaobaoCsv(input: SourceInput): AsyncGenerator<SourceItem> {
  const layout = resolveTaobaoLayout(input.head);
  if (!layout) throw new NotAListingSourceError(input.name, EXPECTED);
  yield* readDelimitedListings(input, layout);
}
