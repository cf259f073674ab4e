/** The first bytes of the binary containers office files come in. */
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** A zip: .xlsx, .ods, .docx (told apart by the entry names in the head). */
export function isZip(head: Buffer): boolean {
  return head.subarray(0, ZIP.length).equals(ZIP);
}

/** An OLE2 compound file: Excel 97–2003 .xls, WPS .et, old .doc. */
export function isOle2(head: Buffer): boolean {
  return head.subarray(0, OLE2.length).equals(OLE2);
}
