/** The data blocks of an HTML report, parsed: the listings' arrays and the string table, words and titles. */
export interface HtmlReportData {
  listings: unknown[][];
  meta: { strings: string[]; titles: Record<string, string>; words: Record<string, unknown> };
}

export function readHtmlReportData(html: string): HtmlReportData {
  const block = (id: string): string => {
    const open = `<script type="application/json" id="${id}">`;
    const start = html.indexOf(open);
    if (start < 0) throw new Error(`the report has no ${id} block`);
    return html.slice(start + open.length, html.indexOf("</script>", start));
  };
  return { listings: JSON.parse(block("report-listings")), meta: JSON.parse(block("report-meta")) };
}

/** Each finding of the report as `[listing id, finding array]`, with string-table references resolved. */
export function reportFindings(html: string): Array<{ listing: string; finding: unknown[] }> {
  const { listings, meta } = readHtmlReportData(html);
  const resolve = (value: unknown) => (typeof value === "number" ? meta.strings[value] : value);
  return listings.flatMap((l) =>
    (l[4] as unknown[][]).map((f) => ({
      listing: String(l[0]),
      finding: f.map((v, i) => (i === 1 || i >= 7 ? resolve(v) : v)),
    })),
  );
}
