import { describe, expect, test } from "vitest";
import { describeUnsupportedFormat } from "../src/sources/unsupported-formats.js";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
const DOCX = Buffer.concat([
  Buffer.from([0x50, 0x4b, 0x03, 0x04]),
  Buffer.alloc(26),
  Buffer.from("[Content_Types].xml word/document.xml"),
]);

describe("formats exports come in that no reader reads", () => {
  test.each([
    ["a PDF", Buffer.from("%PDF-1.7\n%âãÏÓ\n"), /a PDF document/],
    ["a PNG screenshot", PNG, /an image/],
    ["a JPEG photo", Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]), /an image/],
    ["a Word document", DOCX, /a Word document \(\.docx\)/],
  ])("%s is named, with what to do", (_, head, pattern) => {
    expect(describeUnsupportedFormat(head)).toMatch(pattern);
  });

  test.each([
    ["a CSV", Buffer.from("title,price\n包邮,9\n")],
    [
      "an .xlsx (a zip without word/)",
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from("[Content_Types].xml xl/workbook.xml")]),
    ],
    ["an empty file", Buffer.alloc(0)],
  ])("%s is not taken for one", (_, head) => {
    expect(describeUnsupportedFormat(head)).toBeUndefined();
  });
});
