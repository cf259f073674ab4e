import { describe, expect, test } from "vitest";
import { taobaoCsvReader } from "../src/sources/taobao-csv/index.js";
import { readSkus, type SkuCells } from "../src/sources/column-maps/sku-props.js";
import { buildExport, encodeText, inputOf, layoutOf, type RawRow } from "./fixtures/exports/taobao-export.js";
import { collect } from "./helpers/collect.js";

describe("readSkus: SKU names and prices from skuProps, propAlias and input_custom_cpv", () => {
  test.each<[string, SkuCells, { name: string; price?: number }[]]>([
    [
      "two sale properties, both renamed in propAlias",
      {
        skuProps: "39:100::1627207:28320;20509:28317;42.00:5:TX-XXL:1627207:28320;20509:28318;",
        propAlias: "1627207:28320:红色;20509:28317:XL;20509:28318:XXL",
      },
      [
        { name: "红色 XL", price: 39 },
        { name: "红色 XXL", price: 42 },
      ],
    ],
    [
      "a value without an alias is named by its vid",
      { skuProps: "59.90:10::1627207:28341;20509:28315;", propAlias: "20509:28315:M码" },
      [{ name: "28341 M码", price: 59.9 }],
    ],
    [
      "custom values (negative vids) take their names from input_custom_cpv; an alias wins over them",
      {
        skuProps: "19.9:1::1627207:-1001;19.9:1::1627207:-1002",
        customValues: "1627207:-1001:雾蓝色;1627207:-1002:奶白色;",
        propAlias: "1627207:-1002:奶白色【包邮】",
      },
      [
        { name: "雾蓝色", price: 19.9 },
        { name: "奶白色【包邮】", price: 19.9 },
      ],
    ],
    [
      "a price of 0 or none is not a SKU price",
      { skuProps: "0:100::1627207:1;:100::1627207:2;", propAlias: "1627207:1:小号;1627207:2:大号" },
      [{ name: "小号" }, { name: "大号" }],
    ],
    [
      "a SKU code holding colons, names holding colons, spaces around entries",
      { skuProps: " 12:3:A:B:1627207:7 ; 20509:8 ;", propAlias: "1627207:7:规格:标准 ; 20509:8: 1:1 " },
      [{ name: "规格:标准 1:1", price: 12 }],
    ],
  ])("%s", (_, cells, skus) => {
    expect(readSkus(cells)).toEqual({ skus, invalid: [] });
  });

  test("no skuProps, or an empty one, is no SKUs and no problem", () => {
    expect(readSkus({})).toEqual({ invalid: [] });
    expect(readSkus({ skuProps: " ; ", propAlias: "1627207:1:红色" })).toEqual({ invalid: [] });
  });

  test.each([
    ["not the grammar at all", "红色;蓝色"],
    ["a pid:vid pair before any SKU", "20509:28315;59:1::1627207:28341"],
    ["a price that is not a number", "九块九:1::1627207:28341"],
    ["a quantity that is not a count", "9.9:many::1627207:28341"],
    ["an entry of three parts", "9.9:100:1627207"],
    ["a vid that is not a number", "9.9:100::1627207:red"],
  ])("unreadable skuProps (%s) leaves the SKUs out with a problem", (_, skuProps) => {
    const read = readSkus({ skuProps });
    expect(read.skus).toBeUndefined();
    expect(read.invalid).toEqual([
      expect.objectContaining({ column: "skuProps", value: skuProps, consequence: "the SKUs are left out" }),
    ]);
  });

  test("malformed alias entries are a problem; their values fall back to the vid and the SKUs are kept", () => {
    const read = readSkus({ skuProps: "10:1::1627207:1;20509:2", propAlias: "1627207:1:红色;20509:大号;x:y:z" });
    expect(read.skus).toEqual([{ name: "红色 2", price: 10 }]);
    expect(read.invalid).toEqual([expect.objectContaining({ column: "propAlias", value: "20509:大号;x:y:z" })]);
  });
});

describe("the 淘宝助理 reader fills listing.skus", () => {
  const rows: RawRow[] = [
    {
      title: "纯棉T恤 包邮",
      num_id: "600000000001",
      price: "39",
      skuProps: "39:100::1627207:28320;20509:28315;39:100::1627207:28320;20509:28316;",
      propAlias: "1627207:28320:白色;20509:28315:M;20509:28316:L",
    },
    { title: "毛巾", num_id: "600000000002", price: "9.9" },
    {
      title: "充电宝",
      num_id: "600000000003",
      price: "59",
      skuProps: "59:1::1627207:28320;20509",
      propAlias: "1627207:28320:白色",
    },
  ];

  test("from the 67-column layout in UTF-16LE: names, prices, and a located problem for an unreadable cell", async () => {
    const built = buildExport(rows, {
      columns: layoutOf(67, false),
      header: "version-en-cn",
      delimiter: "\t",
      eol: "\r\n",
      quoteAll: true,
    });
    const items = await collect(taobaoCsvReader.read(inputOf("skus.csv", encodeText(built.text, "utf-16le-bom")), {}));
    const listings = items.flatMap((i) => (i.kind === "listing" ? [i.record.listing] : []));
    expect(listings.map((l) => [l.id, l.skus])).toEqual([
      [
        "600000000001",
        [
          { name: "白色 M", price: 39 },
          { name: "白色 L", price: 39 },
        ],
      ],
      ["600000000002", undefined],
      ["600000000003", undefined],
    ]);
    // The listing with the unreadable cell is still audited, with its other fields.
    expect(listings[2]?.price).toBe(59);
    const problems = items.flatMap((i) => (i.kind === "problem" ? [i] : []));
    expect(problems.map((p) => [p.problem.code, p.problem.source, p.problem.listingId, p.skipped])).toEqual([
      ["csv/invalid-value", { file: "skus.csv", row: 3, line: built.lines[2], field: "skus" }, "600000000003", false],
    ]);
    expect(problems[0]?.problem.message).toMatch(/^skus: cannot read skuProps "59:1::1627207:28320;20509"/);
  });

  test("from the legacy layout with only Chinese header names", async () => {
    const columns = ["宝贝名称", "数字ID", "宝贝价格", "运费承担", "销售属性组合", "销售属性别名", "自定义属性值"];
    const text = [
      columns.join(","),
      '"裙子 包邮",600000000009,79,1,"79:3::1627207:-1001;79:3::1627207:-1002;","1627207:-1002:燕麦色","1627207:-1001:黑色;1627207:-1002:米色"',
    ].join("\n");
    const items = await collect(taobaoCsvReader.read(inputOf("legacy.csv", encodeText(text, "gb18030")), {}));
    expect(items.map((i) => (i.kind === "listing" ? i.record.listing.skus : i.problem.code))).toEqual([
      [
        { name: "黑色", price: 79 },
        { name: "燕麦色", price: 79 },
      ],
    ]);
  });
});
