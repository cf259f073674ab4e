import { describe, expect, test } from "vitest";
import { describeUnsupportedFormat } from "../src/sources/unsupported-formats.js";

const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
// An .ods starts with its uncompressed `mimetype` entry, so the media type stands in the first bytes.
const ODS = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from("mimetypeapplication/vnd.oasis.opendocument.spreadsheetPK")]);

describe("formats exports come in that no reader reads", () => {
  test.each([
    ["an Excel 97–2003 workbook", OLE2, /Excel 97–2003 workbook \(\.xls\).*save it as \.xlsx or as CSV/],
    ["an OpenDocument spreadsheet", ODS, /OpenDocument spreadsheet \(\.ods\)/],
    ["a PDF", Buffer.from("%PDF-1.7\n%âãÏÓ\n"), /a PDF document/],
  ])("%s is named, with what to do", (_, head, pattern) => {
    expect(describeUnsupportedFormat(head)).toMatch(pattern);
  });

  test.each([
    ["a CSV", Buffer.from("title,price\n包邮,9\n")],
    ["an .xlsx (a zip without the OpenDocument type)", Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from("[Content_Types].xml xl/workbook.xml")])],
    ["an empty file", Buffer.alloc(0)],
  ])("%s is not taken for one", (_, head) => {
    expect(describeUnsupportedFormat(head)).toBeUndefined();
  });
});
