import { isZip } from "./containers.js";

/**
 * File formats that exports come in but no reader reads, recognised by their first bytes so that the
 * error says what the file is and what to do instead of only listing the formats that are read.
 */
interface UnsupportedFormat {
  matches(head: Buffer): boolean;
  description: string;
}

const startsWith = (head: Buffer, magic: string): boolean =>
  head.subarray(0, magic.length).toString("latin1") === magic;

const UNSUPPORTED: UnsupportedFormat[] = [
  {
    matches: (head) => startsWith(head, "%PDF-"),
    description: "a PDF document, which holds no listing data to read: export the listings as CSV or .xlsx",
  },
  {
    // PNG, JPEG, GIF, WebP: screenshots and product photos kept next to the exports.
    matches: (head) =>
      startsWith(head, "\x89PNG") ||
      startsWith(head, "\xff\xd8\xff") ||
      startsWith(head, "GIF8") ||
      (startsWith(head, "RIFF") && head.subarray(8, 12).toString("latin1") === "WEBP"),
    description: "an image, which holds no listing data to read",
  },
  {
    matches: (head) => isZip(head) && head.includes("word/"),
    description: "a Word document (.docx), which holds no listing data to read: export the listings as CSV or .xlsx",
  },
];

/** What a file that no reader recognises is, when its first bytes tell. */
export function describeUnsupportedFormat(head: Buffer): string | undefined {
  return UNSUPPORTED.find((format) => format.matches(head))?.description;
}
