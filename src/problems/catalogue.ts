/**
 * Every problem code the tool reports, with its severity and, in Chinese and English, what happened and what
 * to do. This table is the one place a code is defined: `ProblemCode` (the type of `Problem.code`) is its
 * keys, so a code that is not here does not compile, and docs/troubleshooting.md and troubleshooting.zh.md
 * are rendered from it (`npm run docs:troubleshooting`). A TypeScript module rather than a file under
 * rules/: the codes must be known when the code that reports them is type-checked, and the table is not
 * a setting anyone tunes. The message of each problem is still worded where it is found, with its details.
 */

export interface Bilingual {
  zh: string;
  en: string;
}

/** How much a problem costs, from the worst; `Problem.code` decides it, the reports do not print it. */
export const PROBLEM_SEVERITIES = {
  error: {
    zh: "本工具在这个商品上出错，它的审核结果未知；无论 `--fail-on` 怎么设，运行都会失败（退出码 1）",
    en: "the tool failed on a listing, whose findings are therefore unknown; the run fails (exit 1) whatever `--fail-on` says",
  },
  warning: {
    zh: "有内容没有读取：一条记录、一个页面、一个文件或其中一部分；其余内容照常审核",
    en: "something was not read: a record, a page, a file, or part of one; the rest is audited",
  },
  info: {
    zh: "记录已读取并审核，只是其中某个值被略去、改名或按默认值处理",
    en: "the record was read and audited; a value in it was left out, renamed or assumed",
  },
} as const satisfies Record<string, Bilingual>;

export type ProblemSeverity = keyof typeof PROBLEM_SEVERITIES;

/** The sections of the troubleshooting page, in the order they are listed there. */
export const PROBLEM_GROUPS = {
  input: {
    title: { zh: "文件与文件夹", en: "Files and folders" },
  },
  "listing-files": {
    title: { zh: "商品文件（JSON、JSONL、YAML）", en: "Listing files (JSON, JSONL, YAML)" },
    note: {
      zh: '商品格式没有定义的字段（导出文件多带的 `"extra": {"a": {"a": …}}`）不论嵌套多深都会被忽略。',
      en: 'A deeply nested value in a field the listing format does not name (an export\'s extra `"extra": {"a": {"a": …}}`) is ignored, however deep it goes.',
    },
  },
  listing: {
    title: { zh: "商品记录（所有格式）", en: "Listings (every format)" },
  },
  csv: {
    title: { zh: "CSV 与 TSV 导出文件（淘宝助理及通用格式）", en: "CSV and TSV exports (淘宝助理 and generic)" },
    note: {
      zh: "NUL 字节：单元格中零星的 NUL 字节会保留（在审核的文字中不可见）；大量 NUL 字节、或表头行中有 NUL 字节的文件是二进制文件，不是商品来源；文件末尾补齐用的 NUL 字节（复制中断）会被忽略。",
      en: "NUL bytes: a stray NUL byte inside a cell is kept (it is invisible in the audited text); a file dense with NUL bytes, or one in the header line, is binary and not a listing source; NUL bytes that pad the end of a file (an interrupted copy) are ignored.",
    },
  },
  workbooks: {
    title: { zh: "Excel 工作簿与 HTML 表格", en: "Excel workbooks and HTML tables" },
    note: {
      zh: "命令行上直接指定的工作簿如果无法读取（截断、改了扩展名、没有可识别的表头行），运行会以退出码 2 停止，见 [errors.md](errors.md)；能部分读取的损坏 .xls 则是下面的问题 `xls/damaged`。",
      en: "A workbook named on the command line that cannot be read at all (truncated, renamed, no recognised header row) stops the run with exit 2, see [errors.md](errors.md); a damaged .xls that can be partly read is the problem `xls/damaged` below.",
    },
  },
  pages: {
    title: { zh: "HTML 页面", en: "HTML pages" },
  },
  runs: {
    title: { zh: "分布式运行（--queue）", en: "Distributed runs (--queue)" },
  },
  crawl: {
    title: { zh: "抓取的页面与保存的页面", en: "Crawled and saved pages" },
    note: {
      zh: "每个失败的网址都是一个带 `source.url` 的问题；抓取总会在限制之内结束。相关选项见 [crawling.md](crawling.md)。",
      en: "Every URL that fails is a problem carrying `source.url`; the crawl always ends within its limits. The options named below are described in [crawling.md](crawling.md).",
    },
  },
} as const satisfies Record<string, { title: Bilingual; note?: Bilingual }>;

export type ProblemGroup = keyof typeof PROBLEM_GROUPS;

export interface ProblemEntry {
  severity: ProblemSeverity;
  group: ProblemGroup;
  /** What happened. */
  summary: Bilingual;
  /** What to do about it. */
  action: Bilingual;
  /** Messages as reports print them: most are English whatever `--lang` says; a few are worded in both. */
  examples?: readonly (string | Bilingual)[];
}

const saveInOneEncoding: Bilingual = {
  zh: "把文件保存为单一编码（UTF-8、UTF-16 或 GB18030）",
  en: "save the file in one encoding (UTF-8, UTF-16 or GB18030)",
};

const damagedOrHostile: Bilingual = {
  zh: "正常文件不会这样：文件已损坏或是恶意构造的",
  en: "no listing needs that: the file is damaged or hostile",
};

const fixTheCell: Bilingual = {
  zh: "改正该单元格；商品照常审核，只是不含这个值",
  en: "fix the cell; the listing is audited without it",
};

const fixTheMapping: Bilingual = {
  zh: "改正配置的 `columns:` 或文件的表头",
  en: "fix `columns:` in the config, or the header",
};

const saveTheCrawlAgain: Bilingual = { zh: "重新抓取并保存", en: "save the crawl again" };

export const PROBLEMS = {
  // ─── Files and folders ────────────────────────────────────────────────────
  "input/empty": {
    severity: "warning",
    group: "input",
    summary: {
      zh: "文件为空（0 字节，或只有空格、空行和字节顺序标记），无论是命令行指定的还是遍历文件夹找到的；如果其他输入也没有任何记录，运行以退出码 2 结束",
      en: "the file is empty (0 bytes, or only spaces, blank lines and a byte-order mark), named or found by walking; when no other input has a record, the run also ends with exit 2",
    },
    action: { zh: "换成真正的导出文件，或把它从输入中去掉", en: "give the real export, or leave the file out" },
    examples: [{ zh: "文件为空", en: "the file is empty" }],
  },
  "input/unreadable": {
    severity: "warning",
    group: "input",
    summary: {
      zh: "文件完全无法读取（权限、读写错误）",
      en: "the file could not be read at all (permissions, I/O error)",
    },
    action: { zh: "检查该文件", en: "check the file" },
    examples: ["could not read: …"],
  },
  "input/not-a-listing-source": {
    severity: "warning",
    group: "input",
    summary: {
      zh: "遍历文件夹时找到的文件不是商品来源（散文、图片、无法读取的工作簿）；命令行上直接指定的这种文件会以退出码 2 停止运行（见 [errors.md](errors.md)）",
      en: "a file found by walking a folder is not a listing source (prose, an image, a workbook that cannot be read); named on the command line, such a file stops the run with exit 2 instead (see [errors.md](errors.md))",
    },
    action: {
      zh: "指定导出文件本身，或用 `columns:` 映射它的列",
      en: "name the export itself, or map its columns with `columns:`",
    },
    examples: ["skipped: not a listing source (expected listings as html-table, html, jsonl, json, yaml, …)"],
  },
  "input/broken-link": {
    severity: "warning",
    group: "input",
    summary: {
      zh: "遍历的文件夹中（或通配符匹配到）的符号链接指向的目标已不存在；其他指向文件和文件夹的链接照常跟随",
      en: "a symbolic link in a walked folder (or matched by a glob) whose target is gone; links to files and folders are otherwise followed",
    },
    action: { zh: "修复或删除该链接", en: "fix or remove the link" },
    examples: ["skipped: the link points to nothing (its target was moved or deleted)"],
  },
  "input/link-loop": {
    severity: "warning",
    group: "input",
    summary: {
      zh: "链接指向它自己，或指向包含它的上级文件夹，跟随它会无限遍历",
      en: "a link that leads back to itself, or to a folder above it, which would be walked forever",
    },
    action: { zh: "删除该链接，或直接指定那个文件夹", en: "remove the link, or name the folder itself" },
    examples: ["skipped: the link leads to a folder that holds it, which would be walked forever"],
  },
  "input/not-a-file": {
    severity: "warning",
    group: "input",
    summary: {
      zh: "遍历的文件夹中有命名管道、套接字或设备文件",
      en: "a named pipe, socket or device in a walked folder",
    },
    action: {
      zh: "如果它确实含有商品，在命令行上直接指定它（`-` 读取标准输入）",
      en: "name it on the command line if it holds listings (`-` reads standard input)",
    },
    examples: ["skipped: not a regular file (a device, socket or pipe)"],
  },

  // ─── Listing files ────────────────────────────────────────────────────────
  "json/syntax-error": {
    severity: "warning",
    group: "listing-files",
    summary: {
      zh: "有 `row`：数组中的一个元素不是合法的 JSON（消息是 JSON 解析器的原话），跳过这条记录；没有 `row`：文件在某条记录中间结束（下载或导出被截断），之后的内容不再读取",
      en: "with `row`: one element of the array is not valid JSON (the engine's own wording), and that record is skipped; without `row`: the file ends inside a record (a truncated download or export) and the rest of the file is not read",
    },
    action: {
      zh: "改正那条记录，其余记录照常审核；文件被截断时请重新导出，截断之前的记录已审核",
      en: "fix that record, the others are audited; for a truncated file export again, the records before the cut are audited",
    },
    examples: [
      `Unexpected token ',', …"title": , …is not valid JSON`,
      "unexpected end of file; the rest of the file is not read",
    ],
  },
  "jsonl/syntax-error": {
    severity: "warning",
    group: "listing-files",
    summary: {
      zh: "某一行不是 JSON 对象（例如多了一个结尾逗号），跳过这一行",
      en: "one line is not a JSON object (here a trailing comma); that line is skipped",
    },
    action: { zh: "改正那一行", en: "fix that line" },
    examples: ["Expected double-quoted property name in JSON at position 28"],
  },
  "yaml/syntax-error": {
    severity: "warning",
    group: "listing-files",
    summary: {
      zh: "YAML 语法错误，错误所在的记录被跳过；记录展开超过 100 个 YAML 别名（别名炸弹）也属于此类",
      en: "YAML syntax; the record the error falls in is skipped. A record that expands more than 100 YAML aliases (an alias bomb) is this too",
    },
    action: {
      zh: "按给出的行号改正 YAML；商品文件不需要锚点和别名，把值直接写出来",
      en: "fix the YAML at the line given; anchors and aliases are not needed in listings, write the values out",
    },
    examples: ['Missing closing "quote', "Excessive alias count indicates a resource exhaustion attack"],
  },
  "json/undecodable": {
    severity: "warning",
    group: "listing-files",
    summary: {
      zh: "这条记录中有在文件编码下不合法的字节，记录被跳过；文字本身含有的 U+FFFD（�）或 C1 控制字符照常读取",
      en: "bytes that are not valid in the file's encoding fall inside this record, which is skipped; a U+FFFD (�) or C1 control the text itself holds is read like any text",
    },
    action: saveInOneEncoding,
    examples: ["the record holds bytes that are not valid utf-8; the record is skipped"],
  },
  "jsonl/undecodable": {
    severity: "warning",
    group: "listing-files",
    summary: {
      zh: "这一行中有在文件编码下不合法的字节，该行被跳过；文字本身含有的 U+FFFD（�）或 C1 控制字符照常读取",
      en: "bytes that are not valid in the file's encoding fall inside this line, which is skipped; a U+FFFD (�) or C1 control the text itself holds is read like any text",
    },
    action: saveInOneEncoding,
    examples: ["the record holds bytes that are not valid utf-8; the record is skipped"],
  },
  "yaml/undecodable": {
    severity: "warning",
    group: "listing-files",
    summary: {
      zh: "这条记录中有在文件编码下不合法的字节，记录被跳过；文字本身含有的 U+FFFD（�）或 C1 控制字符照常读取",
      en: "bytes that are not valid in the file's encoding fall inside this record, which is skipped; a U+FFFD (�) or C1 control the text itself holds is read like any text",
    },
    action: saveInOneEncoding,
    examples: ["the record holds bytes that are not valid utf-8; the record is skipped"],
  },
  "yaml/too-many-aliases": {
    severity: "warning",
    group: "listing-files",
    summary: {
      zh: "同一文件的别名合计展开超过 4 Mi 个字符（例如 200 条记录都引用同一段 325 KB 的描述），从这条记录起被跳过；在上限之前读到的记录已审核",
      en: "the aliases of one file together stand for more than 4 Mi characters (200 records aliasing one 325 KB description); records read before the cap are audited",
    },
    action: { zh: "把值直接写出来", en: "write the values out" },
    examples: [
      "the file's aliases would expand to more than 4194304 characters with this record's (an alias bomb); the record is skipped: write the values out",
    ],
  },
  "yaml/too-large": {
    severity: "warning",
    group: "listing-files",
    summary: {
      zh: "YAML 文件超过 16 MiB：YAML 无法流式读取，解析器每个字节约占 35 字节内存，文件不读取",
      en: "the YAML file is larger than 16 MiB: YAML cannot be streamed and its parser holds some 35 bytes per byte, so the file is not read",
    },
    action: { zh: "导出为 JSON 或 JSONL，或拆分文件", en: "export as JSON or JSONL, or split the file" },
    examples: [
      "the file is larger than 16 MiB, the most a YAML listing file may hold (YAML is read whole); write the listings as JSON or JSONL, which are streamed",
    ],
  },
  "yaml/too-deep": {
    severity: "warning",
    group: "listing-files",
    summary: {
      zh: "YAML 文件中的列表或映射嵌套超过 64 层，文件不读取",
      en: "a YAML file nests lists or maps more than 64 levels deep; the file is not read",
    },
    action: damagedOrHostile,
    examples: ["collections nested more than 64 levels deep are refused; the file is not read"],
  },

  // ─── Listings ─────────────────────────────────────────────────────────────
  "listing/not-an-object": {
    severity: "warning",
    group: "listing",
    summary: {
      zh: "商品数组中的某个元素不是对象，被跳过",
      en: "an element of the listings array is not an object; it is skipped",
    },
    action: { zh: '每个商品写成 `{ "id": …, "title": … }`', en: 'each listing is `{ "id": …, "title": … }`' },
    examples: ["record is a string, not an object"],
  },
  "listing/missing-id": {
    severity: "warning",
    group: "listing",
    summary: { zh: "记录没有 `id`，或 `id` 为空，被跳过", en: "no `id`, or an empty one; the record is skipped" },
    action: {
      zh: "给每个商品写上数字ID、商家编码或网址",
      en: "give every listing its 数字ID, 商家编码 or URL",
    },
    examples: ["record has no id"],
  },
  "listing/missing-title": {
    severity: "warning",
    group: "listing",
    summary: { zh: "记录没有 `title`，被跳过", en: "no `title`; the record is skipped" },
    action: { zh: "补上标题", en: "add the title" },
    examples: ["listing no-title has no title"],
  },
  "listing/invalid-field": {
    severity: "warning",
    group: "listing",
    summary: {
      zh: "字段类型不对，记录被跳过；消息列出每个错误的字段，`source.field` 是第一个",
      en: "a field of the wrong type, and the record is skipped; every bad field is named and `source.field` is the first",
    },
    action: {
      zh: '改正这些字段（数字可以写成小数字符串，如 `"19.90"`）',
      en: 'fix the fields (numbers may be decimal strings such as `"19.90"`)',
    },
    examples: [
      'listing typed: price: expected a number, got "abc"; invoice: Invalid input: expected boolean, received string',
    ],
  },
  "listing/duplicate-id": {
    severity: "info",
    group: "listing",
    summary: {
      zh: "两条记录的 id 相同；第二条以改名后的 id（`1001#2`）照常审核",
      en: "two records share an id; the second is audited under a renamed id (`1001#2`)",
    },
    action: {
      zh: "让 id 唯一；第二条的审核结果带 `1001#2`",
      en: "make ids unique; findings of the second carry `1001#2`",
    },
    examples: ['duplicate listing id "1001": this record is audited as "1001#2"'],
  },
  "listing/unknown-platform": {
    severity: "info",
    group: "listing",
    summary: {
      zh: "`platform` 不是已知的平台，按本次运行的平台审核（`--platform`，否则配置中的，再否则 taobao）",
      en: "`platform` is not one we know; the listing is audited as the run's platform (`--platform`, else the config's, else taobao)",
    },
    action: {
      zh: "使用四个名称之一（或别名，如 天猫）",
      en: "use one of the four names (or an alias such as 天猫)",
    },
    examples: [
      'listing ok-1: unknown platform "amazon" (expected taobao, tmall, pinduoduo, generic); audited as taobao',
    ],
  },
  "listing/payer-disagrees-with-template": {
    severity: "info",
    group: "listing",
    summary: {
      zh: "商品写的运费承担方与它的运费模板不一致；以模板为准",
      en: "the listing and its shipping template disagree on who pays postage; the template decides",
    },
    action: {
      zh: "改正错的一方；买家实际支付的是模板里的运费",
      en: "fix whichever is wrong; the template is what buyers pay",
    },
    examples: [
      "listing ok-1 says the seller pays postage (freightPayer: seller), but shipping template T1 charges 西藏(¥20)、新疆(¥20); the template decides",
    ],
  },
  "listing/invalid-fee": {
    severity: "info",
    group: "listing",
    summary: {
      zh: "固定运费为负数、不是有限数，或高得不合理（超过 ¥1,000,000）；该运费被忽略",
      en: "a negative, non-finite or implausible (over ¥1,000,000) flat fee; it is ignored",
    },
    action: { zh: "改正运费", en: "correct the fee" },
    examples: ["listing ok-1: fees.express is -5, not a fee in yuan; it is ignored"],
  },
  "listing/out-of-range": {
    severity: "info",
    group: "listing",
    summary: {
      zh: "`price`、SKU 价格、`weight` 或 `volume` 超出合理范围（见 [templates.md](templates.md#number-ranges)），或页面 JSON-LD 运费信息中的运费或计费单位超出范围（`field: shippingDetails`，页面不含这些运费信息照常审核）；这类笔误或恶意输入会破坏运费计算，因此不使用该值",
      en: "a `price`, SKU price, `weight` or `volume` outside its plausible range (see [templates.md](templates.md#number-ranges)), or a page's JSON-LD shipping details with such a fee or step (`field: shippingDetails`; the page is audited without them); a typo or hostile input that would otherwise break fee arithmetic",
    },
    action: {
      zh: "改正这个数；商品的其余部分照常审核",
      en: "correct the number; the rest of the listing is audited",
    },
    examples: ["listing ok-1: weight: 1e-16 is out of range (0 or 0.000001 to 1000000 kg); audited without it"],
  },
  "rule/crashed": {
    severity: "error",
    group: "listing",
    summary: {
      zh: "某条规则在这个商品上出错（程序缺陷）；其他商品照常审核",
      en: "a rule threw on this listing (a bug); the other listings are audited",
    },
    action: {
      zh: "连同这个商品一起报告问题；无论 `--fail-on` 怎么设，运行都会失败（退出码 1），因为这个商品自己的审核结果未知",
      en: "report it with the listing; the run fails (exit 1) whatever `--fail-on` says, because the listing's own findings are unknown",
    },
    examples: ["rule shipping/claim-charged-region failed on listing 1001: …"],
  },
  "listing/crashed": {
    severity: "error",
    group: "listing",
    summary: {
      zh: "这个商品的文字分析或运费条件计算出错（程序缺陷）；其他商品照常审核",
      en: "the text analysis or the shipping terms failed on this listing (a bug); the other listings are audited",
    },
    action: {
      zh: "连同这个商品一起报告问题；无论 `--fail-on` 怎么设，运行都会失败（退出码 1），因为这个商品自己的审核结果未知",
      en: "report it with the listing; the run fails (exit 1) whatever `--fail-on` says, because the listing's own findings are unknown",
    },
    examples: ["listing 1001 could not be analysed: …"],
  },

  // ─── CSV and TSV ──────────────────────────────────────────────────────────
  "csv/unterminated-quote": {
    severity: "warning",
    group: "csv",
    summary: {
      zh: '某个字段以 `"` 开始却没有闭合，记录被跳过，从下一行继续读取；超过 16 Mi 个字符的记录也算此类',
      en: 'a `"` opens a field that never closes, and the record is skipped; reading resumes on the next line, and a record over 16 Mi characters counts as this too',
    },
    action: {
      zh: '闭合引号，或把带引号字段中的引号写成两个（`""`）',
      en: 'close the quote, or double quotes inside quoted fields (`""`)',
    },
    examples: ["a quoted field is not closed (or a quote inside it is not doubled); the record is skipped"],
  },
  "csv/stray-quote": {
    severity: "warning",
    group: "csv",
    summary: {
      zh: '没有引号包围的字段中出现引号（`保温杯 "大号"`），而同一行另有以引号开头的字段（`"bad-2",保温杯 "大号",…`），记录被跳过；行中没有带引号字段时，引号按普通字符读取，与 Excel 一致',
      en: 'a quote inside an unquoted field (`保温杯 "大号"`) on a line with a quoted field (`"bad-2",保温杯 "大号",…`), and the record is skipped; on a line without quoted fields the quote is read as a character, as Excel reads it',
    },
    action: {
      zh: "给字段加上引号，并把其中的引号写成两个",
      en: "quote the field and double the inner quotes",
    },
    examples: [
      "a quote stands inside an unquoted field, and another field of its line starts with a quote; the record is skipped",
    ],
  },
  "csv/field-count": {
    severity: "warning",
    group: "csv",
    summary: {
      zh: "记录的字段比表头少，或非空字段比表头多，记录被跳过",
      en: "a record with fewer fields than the header, or more non-empty ones; the record is skipped",
    },
    action: { zh: "那条记录少了或多了一个分隔符", en: "a delimiter is missing or extra in that record" },
    examples: ["the record has 3 fields where the header has 4; the record is skipped"],
  },
  "csv/undecodable": {
    severity: "warning",
    group: "csv",
    summary: {
      zh: "记录中有在文件编码下不合法的字节（UTF-8 导出中粘贴进的 GBK 片段、孤立的 UTF-16 代理项），记录被跳过；编码根据整个文件开头判断，所以只丢失损坏的记录。文字本身含有的 U+FFFD（�）或 C1 控制字符不属于此类，这样的记录照常读取",
      en: "bytes that are not valid in the file's encoding (a GBK fragment pasted into a UTF-8 export, a lone UTF-16 surrogate), and the record is skipped; the encoding is detected from the whole head, so only the damaged records are lost. A U+FFFD (�) or C1 control that the text itself holds is not this: such records are read",
    },
    action: {
      zh: "把导出文件保存为单一编码（UTF-8、UTF-16 或 GB18030）",
      en: "save the export in one encoding (UTF-8, UTF-16 or GB18030)",
    },
    examples: ["the record holds bytes that are not valid utf-8; the record is skipped"],
  },
  "csv/invalid-value": {
    severity: "info",
    group: "csv",
    summary: {
      zh: "某个单元格无法读取，商品不含这个值照常审核。id 列的特例：导出文件在 Excel 中打开并保存过，Excel 把长数字（数字ID、邮费模板ID、商家编码）改写成科学计数法；被改坏的商品 id 让位给下一个 id 列（商家编码）或记录序号，被改坏的模板 id 保留原样，于是审核结果会指向一个找不到的模板",
      en: "one cell cannot be read; the listing is still audited without it. An id is a special case: the export was opened and saved in Excel, which rewrote long numbers (数字ID, 邮费模板ID, 商家编码) in scientific notation; a mangled listing id gives way to the next id column (商家编码) or the record number, a mangled template id stays, so the listing's findings name a template that cannot be found",
    },
    action: {
      zh: "改正该单元格；id 被改坏时，请从卖家工具重新导出，或在 Excel 保存前把这些列设为文本格式",
      en: "fix the cell; for an id, export again from the seller tool, or format those columns as text in Excel before saving",
    },
    examples: [
      'price: cannot read "abc" (expected a price in yuan (or a range)); the field is left out',
      'templateId: cannot read "1.30592E+10" (expected an id written out in full (Excel saved this number in scientific notation, which loses its digits: …)); it is kept as it is, and no template has that id',
    ],
  },
  "csv/missing-column": {
    severity: "info",
    group: "csv",
    summary: {
      zh: "配置的 `columns:` 指定的表头在文件中不存在，该字段不读取",
      en: "the config's `columns:` names a header the file does not have; that field is left out",
    },
    action: fixTheMapping,
    examples: ['the header has no column "价格" for the configured mapping of price; that field is left out'],
  },

  // ─── Workbooks and HTML tables ────────────────────────────────────────────
  "xlsx/unreadable": {
    severity: "warning",
    group: "workbooks",
    summary: {
      zh: "工作簿在读了一些记录之后损坏（解压卡住 2 秒没有进展的损坏条目也算），之前读到的记录已审核",
      en: "the workbook breaks after some records were read (a corrupted entry that leaves the unzip waiting counts after 2 s without progress); those records are audited",
    },
    action: { zh: "重新导出", en: "export again" },
    examples: ["the workbook cannot be read past this point: …"],
  },
  "xlsx/invalid-value": {
    severity: "info",
    group: "workbooks",
    summary: {
      zh: "与 `csv/invalid-value` 相同；单元格是 Excel 错误值（公式出错：`#DIV/0!`、`#N/A`、`#REF!`）时按 Excel 存为 CSV 的样子读取，在文字列中错误文字照原样审核",
      en: "as `csv/invalid-value`; a cell that holds an Excel error (a formula that failed: `#DIV/0!`, `#N/A`, `#REF!`) is read as Excel saves it to CSV, and in a text column the error text is audited as it stands",
    },
    action: {
      zh: "改正公式，或导出前把工作表粘贴为数值",
      en: "fix the formula, or paste the sheet as values before exporting",
    },
    examples: ['price: cannot read "#DIV/0!" (expected a price in yuan (or a range)); the field is left out'],
  },
  "xlsx/missing-column": {
    severity: "info",
    group: "workbooks",
    summary: { zh: "与 `csv/missing-column` 相同", en: "as `csv/missing-column`" },
    action: fixTheMapping,
  },
  "xls/too-large": {
    severity: "warning",
    group: "workbooks",
    summary: {
      zh: "`.ods` 的重复行列展开后超过 5000000 个单元格（几 KB 的文件就能声明数十亿个），比任何导出文件都多，不读取",
      en: "an `.ods` whose repeated rows and columns stand for more than 5000000 cells (a few KB can name billions), more than any export; it is not read",
    },
    action: { zh: "把工作表另存为 CSV 或 `.xlsx`", en: "save the sheet as CSV or `.xlsx`" },
    examples: [
      "the workbook expands to more than 5000000 cells (rows or columns marked as repeated), more than any export holds; it is not read: save the sheet as CSV or .xlsx",
    ],
  },
  "xls/damaged": {
    severity: "warning",
    group: "workbooks",
    summary: {
      zh: "`.xls` 已损坏，但能读取其中一部分；读到的记录已审核",
      en: "the `.xls` is damaged but can be partly read; the records read are audited",
    },
    action: {
      zh: "重新导出，或另存为 .xlsx 或 CSV",
      en: "export the workbook again, or save it as .xlsx or CSV",
    },
  },
  "xls/invalid-value": {
    severity: "info",
    group: "workbooks",
    summary: { zh: "与 `xlsx/invalid-value` 相同", en: "as `xlsx/invalid-value`" },
    action: fixTheCell,
  },
  "xls/missing-column": {
    severity: "info",
    group: "workbooks",
    summary: { zh: "与 `csv/missing-column` 相同", en: "as `csv/missing-column`" },
    action: fixTheMapping,
  },
  "html-table/invalid-value": {
    severity: "info",
    group: "workbooks",
    summary: {
      zh: "与 `csv/invalid-value` 相同，针对另存为 Excel 导出的 HTML 表格",
      en: "as `csv/invalid-value`, in an HTML table saved as an Excel export",
    },
    action: fixTheCell,
  },
  "html-table/missing-column": {
    severity: "info",
    group: "workbooks",
    summary: { zh: "与 `csv/missing-column` 相同", en: "as `csv/missing-column`" },
    action: fixTheMapping,
  },

  // ─── HTML pages ───────────────────────────────────────────────────────────
  "html/too-large": {
    severity: "warning",
    group: "pages",
    summary: {
      zh: "`.html` 输入（或 `--save-pages` 索引指向的页面正文）超过 32 MiB；页面要整体读取和解析，没有商品页有这么大（抓取只保留 5 MiB），不读取",
      en: "an `.html` input (or a body a `--save-pages` index names) is larger than 32 MiB; a page is read and parsed whole, and no product page is that large (the crawler keeps 5 MiB), so it is not read",
    },
    action: {
      zh: "重新保存页面；更大的文件不是商品页",
      en: "save the page again; a larger file is not a product page",
    },
    examples: ["the page is larger than 32 MiB, the most one HTML page may hold; it is not read"],
  },
  "page/not-a-product": {
    severity: "warning",
    group: "pages",
    summary: {
      zh: "页面不是商品页（没有匹配的提取规则、没有 schema.org Product、没有 og:type product），被跳过",
      en: "the page is not a product page (no extractor rule matched, no schema.org Product, no og:type product); it is skipped",
    },
    action: {
      zh: "在配置中为该网站添加 `extractors:` 规则，或不再输入这个页面",
      en: "add an `extractors:` rule for the site, or leave the page out",
    },
    examples: [
      "page-not-a-product.html: no product found (no extractor rule matched, no schema.org Product, no og:type product)",
    ],
  },
  "page/too-deep": {
    severity: "warning",
    group: "pages",
    summary: {
      zh: "页面元素嵌套超过 512 层（真实页面只有几十层），读取会导致栈溢出，页面被跳过；或某个 JSON-LD 块嵌套超过 64 层（真实的只有十来层），该块不读取，页面其余部分照常读取",
      en: "a page nests elements more than 512 deep (real pages nest a few dozen), which would overflow the stack, and the page is skipped; or a JSON-LD block nests more than 64 levels (real ones nest a dozen), and that block is not read while the rest of the page is",
    },
    action: { zh: "页面已损坏或是恶意构造的", en: "the page is damaged or hostile" },
    examples: [
      "page-too-deep.html: elements nested more than 512 deep; the page is not read",
      "JSON-LD block 1: nested more than 64 levels deep; the block is not read",
    ],
  },
  "page/invalid-json-ld": {
    severity: "info",
    group: "pages",
    summary: {
      zh: '某个 `<script type="application/ld+json">` 无法解析；页面其余部分照常读取',
      en: 'a `<script type="application/ld+json">` that does not parse; the rest of the page is still read',
    },
    action: { zh: "修正页面的结构化数据", en: "fix the page's structured data" },
  },
  "page/unknown-country": {
    severity: "info",
    group: "pages",
    summary: {
      zh: "JSON-LD 运费信息的 `addressCountry` 不是 ISO 3166-1 两字母代码，且配置中没有 `country`；该目的地不使用",
      en: "JSON-LD shipping details name an `addressCountry` that is not an ISO 3166-1 alpha-2 code, and no `country` is configured; that destination is not used",
    },
    action: {
      zh: "修正页面的 `addressCountry`，或在配置中设置 `country`",
      en: "fix the page's `addressCountry`, or set `country` in the config",
    },
  },
  "page/unknown-region": {
    severity: "info",
    group: "pages",
    summary: {
      zh: "JSON-LD 运费信息的 `addressRegion` 是本工具无法对应的地区；该地区不使用",
      en: "JSON-LD shipping details name an `addressRegion` the tool cannot map to a region; that region is not used",
    },
    action: {
      zh: "写地区名称、别名、GB/T 2260 代码或 `CN-65` 这样的 ISO 3166-2 代码",
      en: "write a region name, alias, GB/T 2260 code or an ISO 3166-2 code such as `CN-65`",
    },
  },
  "page/crashed": {
    severity: "warning",
    group: "pages",
    summary: {
      zh: "读取这个页面时发生了未预料到的错误，页面被跳过；其他页面照常审核",
      en: "reading this page failed in a way no guard foresaw, and it is skipped; the other pages are audited",
    },
    action: {
      zh: "连同页面一起报告问题（`--save-pages` 可以保存它）",
      en: "report it with the page (`--save-pages` keeps it)",
    },
    examples: ["the page could not be read: …"],
  },

  // ─── Crawled and saved pages ──────────────────────────────────────────────
  "crawl/http-status": {
    severity: "warning",
    group: "crawl",
    summary: {
      zh: "服务器返回 4xx，或重试之后仍返回 5xx",
      en: "the server answered with a 4xx, or a 5xx after the retries",
    },
    action: {
      zh: "检查网址；5xx 时稍后再抓取",
      en: "check the URL; for a 5xx, crawl again later",
    },
    examples: ["HTTP 404"],
  },
  "crawl/timeout": {
    severity: "warning",
    group: "crawl",
    summary: {
      zh: "连接、响应头或正文在重试之后仍超过 `--timeout` 没有进展",
      en: "connecting, the headers or the body stalled past `--timeout`, after the retries",
    },
    action: { zh: "稍后再抓取，或调高 `--timeout`", en: "crawl again later, or raise `--timeout`" },
  },
  "crawl/network-error": {
    severity: "warning",
    group: "crawl",
    summary: {
      zh: "网络错误：连接被拒绝、被重置，或主机名无法解析",
      en: "a network error: the connection was refused or reset, or the host is unknown",
    },
    action: { zh: "检查网址和网络", en: "check the URL and the network" },
  },
  "crawl/robots-disallowed": {
    severity: "warning",
    group: "crawl",
    summary: {
      zh: "`robots.txt` 禁止抓取这个网址，或 `robots.txt` 无法访问（按 RFC 9309 视为全部禁止）",
      en: "`robots.txt` refuses the URL, or is unreachable (which RFC 9309 reads as everything disallowed)",
    },
    action: {
      zh: "只有经网站所有者同意时才可用 `--no-robots`；否则不要抓取这些页面",
      en: "use `--no-robots` only with the site owner's consent; otherwise leave those pages out",
    },
    examples: ["robots.txt disallows /item/1"],
  },
  "crawl/crawl-delay-too-long": {
    severity: "warning",
    group: "crawl",
    summary: {
      zh: "`robots.txt` 的 `Crawl-delay` 超过 60 秒上限，该主机的网址都不抓取",
      en: "the host's `robots.txt` asks for a `Crawl-delay` longer than the 60 s cap; its URLs are not fetched",
    },
    action: {
      zh: "保存页面后离线审核，或在网站所有者同意时使用 `--no-robots`",
      en: "save the pages another way and audit them offline, or use `--no-robots` with the site owner's consent",
    },
  },
  "crawl/retry-after-too-long": {
    severity: "warning",
    group: "crawl",
    summary: {
      zh: "服务器的 `Retry-After` 要求等待超过 60 秒",
      en: "the server's `Retry-After` asks to wait longer than 60 s",
    },
    action: { zh: "稍后再抓取", en: "crawl again later" },
  },
  "crawl/too-large": {
    severity: "warning",
    group: "crawl",
    summary: {
      zh: "解压后的响应正文超过 5 MiB 上限，在传输中放弃",
      en: "the body exceeds the 5 MiB cap after decompression; it is abandoned while streaming",
    },
    action: {
      zh: "这样大的网页不是商品页；如果是，把它保存下来作为 `.html` 文件审核",
      en: "a page that large is not a product page; if it is one, save it and audit the `.html` file",
    },
  },
  "crawl/not-html": {
    severity: "warning",
    group: "crawl",
    summary: { zh: "响应不是 HTML", en: "the response is not HTML" },
    action: {
      zh: "用 `--include` / `--exclude` 把这类网址排除在抓取之外",
      en: "keep such URLs out of the crawl with `--include` / `--exclude`",
    },
  },
  "crawl/redirect-loop": {
    severity: "warning",
    group: "crawl",
    summary: { zh: "重定向形成循环，不再跟随", en: "the redirects go round in a loop; they are not followed" },
    action: { zh: "检查网站的重定向设置", en: "check the site's redirects" },
  },
  "crawl/too-many-redirects": {
    severity: "warning",
    group: "crawl",
    summary: { zh: "重定向超过 5 次，不再跟随", en: "more than 5 redirects; they are not followed" },
    action: { zh: "直接抓取最终的网址", en: "crawl the final URL itself" },
  },
  "crawl/redirect-off-host": {
    severity: "warning",
    group: "crawl",
    summary: {
      zh: "重定向到不在允许范围内的主机，不跟随",
      en: "a redirect to a host that is not allowed; it is not followed",
    },
    action: {
      zh: "如果那个主机也属于这家店，用 `--allow-host` 允许它",
      en: "allow the host with `--allow-host` if it is the shop's own",
    },
  },
  "crawl/redirect-unsupported": {
    severity: "warning",
    group: "crawl",
    summary: {
      zh: "重定向指向的不是 http(s) 网址，无法跟随",
      en: "a redirect to a URL that is not http(s); it cannot be followed",
    },
    action: { zh: "检查网站的重定向设置", en: "check the site's redirects" },
  },
  "crawl/invalid-url": {
    severity: "warning",
    group: "crawl",
    summary: { zh: "起始网址不是 http(s) 网址", en: "a start URL that is not an http(s) URL" },
    action: { zh: "改正命令行上的网址", en: "correct the URL on the command line" },
  },
  "crawl/sitemap-failed": {
    severity: "warning",
    group: "crawl",
    summary: { zh: "站点地图无法获取", en: "a sitemap could not be fetched" },
    action: {
      zh: "检查站点地图的网址；其中的页面也可以作为起始网址给出",
      en: "check the sitemap's URL; its pages can also be given as start URLs",
    },
  },
  "crawl/invalid-sitemap": {
    severity: "warning",
    group: "crawl",
    summary: { zh: "站点地图无法读取", en: "a sitemap could not be read" },
    action: {
      zh: "修正站点地图；其中的页面也可以作为起始网址给出",
      en: "fix the sitemap; its pages can also be given as start URLs",
    },
  },
  "crawl/sitemap-off-host": {
    severity: "warning",
    group: "crawl",
    summary: {
      zh: "`robots.txt` 或站点地图索引指向不在允许范围内的主机上的站点地图，不抓取",
      en: "`robots.txt` or a sitemap index names a sitemap on a host that is not allowed; it is not fetched",
    },
    action: {
      zh: "如果那个站点地图属于这家店，用 `--allow-host` 允许该主机",
      en: "allow the host with `--allow-host` if the sitemap is the shop's own",
    },
  },
  "crawl/max-time": {
    severity: "warning",
    group: "crawl",
    summary: {
      zh: "抓取在这个网址（页面或站点地图）被获取之前达到了 `--max-time`（默认 30 分钟），被跳过，报告会统计缺少的内容",
      en: "the crawl reached `--max-time` (30 minutes by default) before this URL (page or sitemap) was fetched; it is skipped, so the report counts what is missing",
    },
    action: {
      zh: "调高 `--max-time`、调低 `--max-pages`，或用 `--include` 缩小抓取范围",
      en: "raise `--max-time`, lower `--max-pages`, or narrow the crawl with `--include`",
    },
  },
  "crawl/crashed": {
    severity: "warning",
    group: "crawl",
    summary: {
      zh: "处理这个网址时发生了未预料到的错误，被跳过；抓取的其余部分继续进行",
      en: "handling this URL failed unexpectedly; it is skipped and the rest of the crawl goes on",
    },
    action: { zh: "连同网址一起报告问题", en: "report it with the URL" },
  },
  "saved-pages/invalid-entry": {
    severity: "warning",
    group: "crawl",
    summary: {
      zh: "`--save-pages` 索引中的一行不是有效的条目，或指向它自己的文件夹之外",
      en: "a line of a `--save-pages` index is not a valid entry, or points outside its folder",
    },
    action: saveTheCrawlAgain,
    examples: ["body ../secret.html lies outside the saved-pages folder"],
  },
  "saved-pages/missing-body": {
    severity: "warning",
    group: "crawl",
    summary: {
      zh: "索引指向的页面正文文件不存在",
      en: "the index names a body file that is missing",
    },
    action: saveTheCrawlAgain,
    examples: ["no body saved for …"],
  },
  "saved-pages/unwritable": {
    severity: "warning",
    group: "crawl",
    summary: {
      zh: "`--save-pages` 文件夹无法保存页面（`bodies/` 是链接、`index.jsonl` 不是保存页面的索引、路径是个文件），什么都没有抓取",
      en: "the `--save-pages` folder cannot take saved pages (a linked `bodies/`, a foreign `index.jsonl`, a file); nothing was fetched",
    },
    action: { zh: "换一个文件夹", en: "choose another folder" },
    examples: ["--save-pages crawl: crawl/bodies is a symbolic link; remove it or choose another folder"],
  },
  "run/shard-failed": {
    severity: "warning",
    group: "runs",
    summary: {
      zh: "分布式运行中，这个商品所在的分片在所有重试后仍然失败，商品没有审核；运行以退出码 3（不完整）结束",
      en: "in a distributed run, the shard holding this listing failed after every attempt, so the listing was not audited; the run exits 3 (incomplete)",
    },
    action: {
      zh: "查看 worker 的日志找出原因（常见的是一条让 worker 崩溃的记录），修正后用同一个 `--run-id` 重新运行（`listing-audit runs resume <run-id>`）：已完成的分片不会重做",
      en: "find the cause in the workers' logs (often a record that crashes the worker), fix it, and run again with the same `--run-id` (`listing-audit runs resume <run-id>`): finished shards are not redone",
    },
    examples: ["not audited: shard 1 of the distributed run failed for good (worker crashed 3 times)"],
  },
} satisfies Record<string, ProblemEntry>;

/** A stable problem code: one of the catalogue's keys. */
export type ProblemCode = keyof typeof PROBLEMS;

/** Every code, in catalogue order. */
export const PROBLEM_CODES = Object.keys(PROBLEMS) as ProblemCode[];

export function problemSeverity(code: ProblemCode): ProblemSeverity {
  return PROBLEMS[code].severity;
}
