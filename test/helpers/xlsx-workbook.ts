import { crc32, deflateRawSync } from "node:zlib";

/** A cell as the tests write it: plain values, or the objects Excel stores differently. */
export type CellInput =
  | string
  | number
  | boolean
  | null
  | undefined
  | { error: string }
  | { richText: Array<{ text: string }> }
  | { formula: string; result: string | number };

export interface ZipOptions {
  /**
   * Sizes and CRC in the local headers, as Excel and SheetJS write them; by default they follow each
   * entry's data in a descriptor, as streaming writers (exceljs, Java, .NET) write them.
   */
  sizesInHeaders?: boolean;
  /** Entries stored as they are instead of deflated. */
  stored?: boolean;
}

/**
 * A real .xlsx of the given sheets, laid out as exceljs writes one: strings in xl/sharedStrings.xml
 * (rich text as runs), which comes after the worksheets as in Excel's own files, and workbook.xml last.
 */
export function xlsxWorkbook(
  sheets: Record<string, readonly (readonly CellInput[])[]>,
  options: ZipOptions = {},
): Buffer {
  const strings = new SharedStrings();
  const names = Object.keys(sheets);
  const worksheets = names.map((name, i): [string, string] => [
    `xl/worksheets/sheet${i + 1}.xml`,
    worksheetXml(sheets[name] ?? [], strings),
  ]);
  const sheetRels = names.map(
    (_, i) =>
      `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
  );
  const overrides = [
    ...names.map(
      (_, i) =>
        `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    ),
    `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`,
    `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`,
  ];
  return zipArchive(
    [
      [
        "[Content_Types].xml",
        `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${overrides.join("")}</Types>`,
      ],
      [
        "_rels/.rels",
        `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ],
      [
        "xl/_rels/workbook.xml.rels",
        `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheetRels.join("")}<Relationship Id="rId${names.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
      ],
      ...worksheets,
      ["xl/sharedStrings.xml", strings.xml()],
      [
        "xl/workbook.xml",
        `${XML}<workbook xmlns="${MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${names.map((name, i) => `<sheet name="${escapeXml(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("")}</sheets></workbook>`,
      ],
    ],
    options,
  );
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

class SharedStrings {
  private readonly items: string[] = [];
  private readonly index = new Map<string, number>();

  add(item: string): number {
    let at = this.index.get(item);
    if (at === undefined) {
      at = this.items.length;
      this.items.push(item);
      this.index.set(item, at);
    }
    return at;
  }

  xml(): string {
    return `${XML}<sst xmlns="${MAIN}" count="${this.items.length}" uniqueCount="${this.items.length}">${this.items.map((item) => `<si>${item}</si>`).join("")}</sst>`;
  }
}

function worksheetXml(rows: readonly (readonly CellInput[])[], strings: SharedStrings): string {
  const rowXml = rows.map((row, r) => {
    const cells = row.map((cell, c) => cellXml(`${columnName(c + 1)}${r + 1}`, cell, strings));
    return `<row r="${r + 1}">${cells.join("")}</row>`;
  });
  return `${XML}<worksheet xmlns="${MAIN}"><sheetData>${rowXml.join("")}</sheetData></worksheet>`;
}

function cellXml(ref: string, cell: CellInput, strings: SharedStrings): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "number") return `<c r="${ref}"><v>${cell}</v></c>`;
  if (typeof cell === "boolean") return `<c r="${ref}" t="b"><v>${cell ? 1 : 0}</v></c>`;
  if (typeof cell === "string") return `<c r="${ref}" t="s"><v>${strings.add(`<t>${escapeXml(cell)}</t>`)}</v></c>`;
  if ("error" in cell) return `<c r="${ref}" t="e"><v>${escapeXml(cell.error)}</v></c>`;
  if ("richText" in cell) {
    const runs = cell.richText.map((run) => `<r><t xml:space="preserve">${escapeXml(run.text)}</t></r>`);
    return `<c r="${ref}" t="s"><v>${strings.add(runs.join(""))}</v></c>`;
  }
  const type = typeof cell.result === "string" ? ' t="str"' : "";
  return `<c r="${ref}"${type}><f>${escapeXml(cell.formula)}</f><v>${escapeXml(String(cell.result))}</v></c>`;
}

function columnName(column: number): string {
  let name = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A zip of the given entries, in that order, with its central directory. */
export function zipArchive(
  entries: ReadonlyArray<readonly [string, string | Buffer]>,
  options: ZipOptions = {},
): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8");
    const stored = options.stored ? data : deflateRawSync(data);
    const nameBytes = Buffer.from(name, "utf8");
    const flags = 0x0800 | (options.sizesInHeaders ? 0 : 0x0008);
    const method = options.stored ? 0 : 8;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    if (options.sizesInHeaders) {
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(stored.length, 18);
      local.writeUInt32LE(data.length, 22);
    }
    local.writeUInt16LE(nameBytes.length, 26);
    const parts = [local, nameBytes, stored];
    if (!options.sizesInHeaders) {
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      descriptor.writeUInt32LE(stored.length, 8);
      descriptor.writeUInt32LE(data.length, 12);
      parts.push(descriptor);
    }
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(flags, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(stored.length, 20);
    header.writeUInt32LE(data.length, 24);
    header.writeUInt16LE(nameBytes.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, nameBytes);
    for (const part of parts) {
      locals.push(part);
      offset += part.length;
    }
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
