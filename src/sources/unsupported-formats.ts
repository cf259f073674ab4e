/**
 * File formats that exports come in but no reader reads, recognised by their first bytes so that the
 * error says what the file is and what to do instead of only listing the formats that are read.
 */
interface UnsupportedFormat {
  matches(head: Buffer): boolean;
  description: string;
}

const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

const UNSUPPORTED: UnsupportedFormat[] = [
  {
    // Also WPS .et and old .doc files; exports of this kind are .xls workbooks.
    matches: (head) => head.subarray(0, OLE2_MAGIC.length).equals(OLE2_MAGIC),
    description: "an Excel 97–2003 workbook (.xls), which is not read: save it as .xlsx or as CSV (UTF-8) and audit that",
  },
  {
    matches: (head) => head.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC) && head.includes("application/vnd.oasis.opendocument.spreadsheet"),
    description: "an OpenDocument spreadsheet (.ods), which is not read: save it as .xlsx or as CSV (UTF-8) and audit that",
  },
  {
    matches: (head) => head.subarray(0, 5).toString("latin1") === "%PDF-",
    description: "a PDF document, which holds no listing data to read: export the listings as CSV or .xlsx",
  },
];

/** What a file that no reader recognises is, when its first bytes tell. */
export function describeUnsupportedFormat(head: Buffer): string | undefined {
  return UNSUPPORTED.find((format) => format.matches(head))?.description;
}
