import { createRequire } from "node:module";
import path from "node:path";
import type { FixWriter, RecordFix, WriteOutcome, WriteRefusal } from "./writer.js";

type SheetJs = typeof import("@e965/xlsx");
const require = createRequire(import.meta.url);

/**
 * Writes fixes into a copy of an .xlsx workbook with SheetJS. Changing only the changed cells' values in
 * the original cannot be done faithfully with it (it rewrites the whole package: styles it does not read
 * are lost), so the corrected workbook is a copy, `<name>.fixed.xlsx`, and the run says so. A record is
 * found by its row number (`line`) in the sheet whose row holds the field's old text; a row found in no
 * sheet, or in several, is refused.
 */
export function openXlsxWriter(bytes: Buffer, file: string): FixWriter {
  return {
    format: "xlsx",
    writable: (field) => field !== "sku",
    apply(fixes: readonly RecordFix[]): WriteOutcome {
      // Loaded on first use: a run that fixes no workbook never loads SheetJS.
      const sheetJs = require("@e965/xlsx") as SheetJs;
      const workbook = sheetJs.read(bytes, { type: "buffer", cellStyles: true, cellNF: true, cellDates: false });
      const refused: WriteRefusal[] = [];
      let applied = 0;
      for (const fix of fixes) {
        for (const edit of fix.edits) {
          const places =
            fix.line === undefined
              ? []
              : workbook.SheetNames.flatMap((name) => {
                  const sheet = workbook.Sheets[name];
                  if (sheet === undefined || sheet["!ref"] === undefined) return [];
                  const range = sheetJs.utils.decode_range(sheet["!ref"]);
                  const r = (fix.line as number) - 1;
                  const found: string[] = [];
                  for (let c = range.s.c; c <= range.e.c; c++) {
                    const address = sheetJs.utils.encode_cell({ r, c });
                    const cell = sheet[address];
                    const text = cell === undefined ? "" : String(cell.w ?? cell.v ?? "");
                    if (edit.before !== "" && text.trim() === edit.before.trim()) found.push(address);
                  }
                  return found.length === 0 ? [] : [{ sheet, address: found[0] as string }];
                });
          const place = places.length === 1 ? places[0] : undefined;
          if (place === undefined) {
            refused.push({ fix, edit, reason: edit.before === "" ? "field-not-writable" : "text-moved" });
            continue;
          }
          place.sheet[place.address] = { t: "s", v: edit.after };
          applied++;
        }
      }
      const data = Buffer.from(sheetJs.write(workbook, { type: "buffer", bookType: "xlsx" }) as Buffer);
      return { data, applied, refused, copyName: `${path.basename(file, path.extname(file))}.fixed.xlsx` };
    },
  };
}
