import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RegionCatalogue, ShippingTemplate } from "../src/model.js";
import { loadRegionCatalogue } from "../src/regions/load-regions.js";
import { isTemplateFile } from "../src/sources/inputs.js";
import { evaluateRegionFee, loadTemplateFiles, parseTemplates } from "../src/templates/index.js";
import { encodeText } from "./fixtures/exports/taobao-export.js";

const regions: RegionCatalogue = await (async () => {
  const r = await loadRegionCatalogue();
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
})();

const FIXTURES = "test/fixtures/templates";

function parseOk(text: string, file = "t.yaml") {
  const parsed = parseTemplates(text, file, regions);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors, null, 2));
  return parsed.value;
}

function parseErrors(text: string, file = "t.yaml") {
  const parsed = parseTemplates(text, file, regions);
  if (parsed.ok) throw new Error("expected errors");
  return parsed.errors;
}

function only(text: string, file?: string): ShippingTemplate {
  const [template, ...rest] = parseOk(text, file).templates;
  if (!template || rest.length > 0) throw new Error("expected one template");
  return template;
}

describe("template files as Windows editors save them", () => {
  it("reads UTF-16 (PowerShell) and GBK (Notepad's ANSI) like UTF-8, and knows them for templates in a folder", async () => {
    const yaml =
      "templates:\n  - id: 偏远\n    name: 新疆西藏加收\n    payer: buyer\n    valuation: piece\n    default: { first: 1, firstFee: 0, next: 1, nextFee: 0 }\n    regions:\n      - areas: [新疆, 西藏]\n        first: 1\n        firstFee: 20\n        next: 1\n        nextFee: 10\n";
    const dir = await mkdtemp(path.join(tmpdir(), "templates-encodings-"));
    try {
      const loaded = [];
      for (const encoding of ["utf-8", "utf-8-bom", "utf-16le-bom", "utf-16be", "gb18030"] as const) {
        const bytes = encodeText(yaml, encoding);
        expect(isTemplateFile(bytes), encoding).toBe(true);
        const file = path.join(dir, `${encoding}.yaml`);
        await writeFile(file, bytes);
        const set = await loadTemplateFiles([file], regions, dir);
        if (!set.ok) throw new Error(`${encoding}: ${JSON.stringify(set.errors)}`);
        // The same templates, each located in its own file.
        loaded.push(
          [...set.value.templates.values()].map((t) => ({ ...t, source: { ...t.source, file: "templates.yaml" } })),
        );
      }
      for (const templates of loaded) expect(templates).toEqual(loaded[0]);
      expect(loaded[0]?.[0]?.name).toBe("新疆西藏加收");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("our format", () => {
  it("converts the example of docs/templates.md#our-format", async () => {
    const set = await loadTemplateFiles([`${FIXTURES}/shop/ours.yaml`], regions, process.cwd());
    if (!set.ok) throw new Error(JSON.stringify(set.errors));
    const t1 = set.value.templates.get("T1");
    expect(t1).toMatchObject({
      id: "T1",
      name: "偏远地区不包邮",
      payer: "buyer",
      valuation: "piece",
      noDelivery: ["710000", "810000", "820000", "overseas"],
      shipFrom: "330000",
      conditionsExpressible: true,
      format: "listing-auditor",
      source: { file: `${FIXTURES}/shop/ours.yaml`, line: 2 },
    });
    const [service] = t1?.services ?? [];
    expect(service?.service).toBe("default");
    expect(service?.default).toMatchObject({ first: 1, firstFee: 0, next: 1, nextFee: 0, label: "默认", line: 6 });
    expect(service?.default?.areas).toEqual(regions.mainland);
    expect(service?.rows).toEqual([
      { areas: ["540000", "650000"], first: 1, firstFee: 20, next: 1, nextFee: 10, label: "新疆、西藏", line: 8 },
    ]);
    expect(t1?.freeWhen).toEqual([
      { areas: [...regions.mainland], minQuantity: 2, minAmount: 99, origin: "template", line: 14 },
    ]);
    const t2 = set.value.templates.get("T2");
    expect(t2).toMatchObject({ payer: "seller", freeWhen: [], noDelivery: [] });
    expect(t2?.services[0]?.default).toMatchObject({ firstFee: 0, nextFee: 0, areas: regions.mainland });
  });

  it("reads JSON, numeric ids and codes, and fills schedule defaults", () => {
    const t = only(
      JSON.stringify({
        templates: [
          { id: 7, default: { firstFee: 5 }, regions: [{ areas: ["650000", "540100", 630000], firstFee: 9 }] },
        ],
      }),
      "t.json",
    );
    expect(t.id).toBe("7");
    expect(t.services[0]?.default).toMatchObject({ first: 1, firstFee: 5, next: 1, nextFee: 0 });
    expect(t.services[0]?.rows[0]).toMatchObject({
      areas: ["540000", "630000", "650000"],
      partial: ["540000"],
      label: "新疆、西藏(540100)、青海",
    });
  });

  it("expands groups and aliases", () => {
    const t = only(
      "templates:\n  - id: G\n    default: { firstFee: 0 }\n    regions:\n      - { areas: [江浙沪, 內蒙古x], firstFee: 1 }\n".replace(
        "內蒙古x",
        "内蒙",
      ),
    );
    expect(t.services[0]?.rows[0]?.areas).toEqual(["150000", "310000", "320000", "330000"]);
  });

  it("warns that a sub-province freeWhen area does not make its province free", () => {
    const parsed = parseOk(
      'templates:\n  - id: W\n    default: { firstFee: 5 }\n    freeWhen:\n      - areas: [新疆, "440300"]\n        minQuantity: 2\n',
    );
    expect(parsed.templates[0]?.freeWhen[0]?.areas).toEqual(["650000"]);
    expect(parsed.warnings).toEqual([
      {
        file: "t.yaml",
        line: 5,
        key: "templates[0].freeWhen[0].areas",
        message: '"440300" is only part of 广东: a province counts as free only when the whole of it is named',
        zh: '"440300" 只是 广东 的一部分：只有写出整个省，才算该省包邮',
      },
    ]);
  });

  it("reports every mistake at once with file, line and key", () => {
    const text = [
      "templates:", //                                    1
      "  - id: T1", //                                    2
      "    payer: buyer", //                              3
      "    regions:", //                                  4
      "      - areas: [新疆, 新彊省]", //                  5
      "        firstFee: -5", //                          6
      "        next: 0", //                               7
      "      - areas:", //                                8
      "          - 西藏", //                              9
      "          - 新疆维吾尔自治区", //                    10
      "        firstFee: 3", //                           11
      "    freeWhen:", //                                 12
      "      - areas: [全国]", //                         13
      "    noDelivery: [海外, 火星]", //                   14
      "    shiping: x", //                                15
      "  - id: T2", //                                    16
      "    payer: seller", //                             17
      "    default: { firstFee: 0 }", //                  18
      "    freeWhen:", //                                 19
      "      - { areas: [全国], minAmount: 99 }", //      20
      "    valuation: pieces", //                         21
      "  - id: T3", //                                    22
      "    default: { firstFee: 0 }", //                  23
      "    shipFrom: 江浙沪", //                           24
    ].join("\n");
    expect(parseErrors(text, "templates.yaml")).toEqual([
      {
        file: "templates.yaml",
        line: 2,
        key: "templates[0].default",
        message: "required when payer is buyer",
        zh: "买家承担运费（payer: buyer）时必须写 default（默认运费）",
      },
      {
        file: "templates.yaml",
        line: 5,
        key: "templates[0].regions[0].areas",
        message: 'unknown region "新彊省" (did you mean 新疆?)',
        zh: '未知地区 "新彊省"，是否指 新疆？',
      },
      {
        file: "templates.yaml",
        line: 6,
        key: "templates[0].regions[0].firstFee",
        message: "must not be negative",
        zh: "不能为负数",
      },
      {
        file: "templates.yaml",
        line: 7,
        key: "templates[0].regions[0].next",
        message: "must be greater than 0",
        zh: "必须大于 0",
      },
      {
        file: "templates.yaml",
        line: 10,
        key: "templates[0].regions[1].areas",
        message: 'region "新疆" is listed twice in this template (also templates[0].regions[0].areas, line 5)',
        zh: '地区 "新疆" 在本模板中写了两次（另见 templates[0].regions[0].areas，第 5 行）',
      },
      {
        file: "templates.yaml",
        line: 13,
        key: "templates[0].freeWhen[0]",
        message: "needs minQuantity or minAmount (two keys in one row means both)",
        zh: expect.stringContaining("minQuantity 或 minAmount"),
      },
      {
        file: "templates.yaml",
        line: 14,
        key: "templates[0].noDelivery",
        message: expect.stringMatching(/^unknown region "火星"/),
        zh: expect.stringMatching(/^未知地区 "火星"：/),
      },
      { file: "templates.yaml", line: 15, key: "templates[0].shiping", message: "unknown key", zh: "未知的键" },
      {
        file: "templates.yaml",
        line: 18,
        key: "templates[1].default",
        message: "not allowed when payer is seller: a seller-pays template is free wherever it delivers",
        zh: expect.stringContaining("卖家承担运费"),
      },
      {
        file: "templates.yaml",
        line: 20,
        key: "templates[1].freeWhen",
        message: "not allowed when payer is seller: a seller-pays template is free wherever it delivers",
        zh: expect.stringContaining("卖家承担运费"),
      },
      {
        file: "templates.yaml",
        line: 21,
        key: "templates[1].valuation",
        message: expect.stringContaining("piece"),
        zh: '应为 "piece"、"weight"、"volume" 之一，实际为 "pieces"',
      },
      {
        file: "templates.yaml",
        line: 24,
        key: "templates[2].shipFrom",
        message: 'must name one province, "江浙沪" names 3',
        zh: '只能写一个省，"江浙沪" 包含 3 个',
      },
    ]);
  });

  it("treats a region reached through a group as listed twice", () => {
    expect(
      parseErrors(
        "templates:\n  - id: D\n    default: { firstFee: 0 }\n    regions:\n      - { areas: [偏远地区], firstFee: 9 }\n    noDelivery: [西藏]\n",
      ),
    ).toEqual([
      {
        file: "t.yaml",
        line: 6,
        key: "templates[0].noDelivery",
        message:
          'region "西藏" is listed twice in this template: "偏远地区" (templates[0].regions[0].areas, line 5) already holds it',
        zh: '地区 "西藏" 重复：前面的 "偏远地区"（templates[0].regions[0].areas，第 5 行）已经包含它，请删掉其中一处',
      },
    ]);
  });

  it("accepts sub-province rows of one province side by side", () => {
    const t = only(
      'templates:\n  - id: S\n    default: { firstFee: 0 }\n    regions:\n      - { areas: ["650100"], firstFee: 9 }\n      - { areas: ["650200", 新疆], firstFee: 5 }\n',
    );
    expect(t.services[0]?.rows.map((r) => [r.areas, r.partial])).toEqual([
      [["650000"], ["650000"]],
      [["650000"], undefined],
    ]);
  });

  it("rejects a template id defined twice in one file", () => {
    expect(parseErrors("templates:\n  - { id: A, payer: seller }\n  - { id: A, payer: seller }\n")).toEqual([
      {
        file: "t.yaml",
        line: 3,
        key: "id",
        message: 'duplicate template id "A" (first defined at t.yaml:2)',
        zh: '模板 id "A" 重复（第一次定义在 t.yaml:2）',
      },
    ]);
  });

  it("accepts an empty template list", () => {
    expect(parseOk("templates: []\n").templates).toEqual([]);
  });
});

describe("Taobao Open Platform data", () => {
  it("reads the nested response of the domain example", () => {
    const parsed = parseOk(
      `{"delivery_template_get_response":{"delivery_templates":{"delivery_template":[{
  "template_id":1780373930,"name":"偏远地区不包邮","assumer":0,"valuation":0,
  "fee_list":{"top_fee":[
    {"service_type":"express","destination":"1","start_standard":"1","start_fee":"0.00","add_standard":"1","add_fee":"0.00"},
    {"service_type":"express","destination":"650000,540000","start_standard":"1","start_fee":"20.00","add_standard":"1","add_fee":"10.00"},
    {"service_type":"express","destination":"630000,640000,620000,150000","start_standard":"1","start_fee":"12.00","add_standard":"1","add_fee":"6.00"}]}}]}}}`,
      "top.json",
    );
    expect(parsed.warnings).toEqual([]);
    const [t] = parsed.templates;
    expect(t).toMatchObject({
      id: "1780373930",
      payer: "buyer",
      valuation: "piece",
      conditionsExpressible: false,
      format: "taobao-top",
      source: { file: "top.json", line: 1 },
    });
    expect(
      t?.services.map((s) => [
        s.service,
        s.default?.label,
        s.default?.line,
        s.rows.map((r) => [r.label, r.areas, r.line]),
      ]),
    ).toEqual([
      [
        "express",
        "默认",
        4,
        [
          ["新疆、西藏", ["540000", "650000"], 5],
          ["青海、宁夏、甘肃、内蒙古", ["150000", "620000", "630000", "640000"], 6],
        ],
      ],
    ]);
    const fee = (region: string, quantity: number) => (t ? evaluateRegionFee(t, region, { quantity }).fee : undefined);
    expect([
      fee("650000", 1),
      fee("650000", 2),
      fee("540000", 3),
      fee("630000", 1),
      fee("150000", 2),
      fee("110000", 9),
      fee("810000", 1),
    ]).toEqual([20, 30, 40, 12, 18, 0, null]);
  });

  it("reads the simplified response: flat arrays, string numbers, `|` destinations, seller assumers", async () => {
    const set = await loadTemplateFiles([`${FIXTURES}/shop/top/simplified.json`], regions, process.cwd());
    if (!set.ok) throw new Error(JSON.stringify(set.errors));
    const weight = set.value.templates.get("2001");
    expect(weight).toMatchObject({ payer: "buyer", valuation: "weight", shipFrom: "330000" });
    expect(
      weight?.services.map((s) => [s.service, s.default?.firstFee, s.rows.map((r) => [r.label, r.areas])]),
    ).toEqual([
      ["express", 8, [["上海、江苏、浙江", ["310000", "320000", "330000"]]]],
      ["ems", undefined, [["新疆", ["650000"]]]],
    ]);
    const file = `${FIXTURES}/shop/top/simplified.json`;
    expect(set.value.warnings).toEqual([
      {
        file,
        line: 14,
        key: "delivery_templates_get_response.delivery_templates[0].fee_list[2].destination",
        message: 'unknown area id "999999": ignored',
      },
      {
        file,
        line: 11,
        key: "delivery_templates_get_response.delivery_templates[0].fee_list",
        message: 'service "ems" has no default row (destination 1): the regions it does not name are unknown for it',
      },
    ]);
    expect(set.value.templates.get("2002")).toMatchObject({ payer: "seller", shipFrom: "440000" });
    const seller = set.value.templates.get("2002") as ShippingTemplate;
    expect(evaluateRegionFee(seller, "650000", { quantity: 3 }).status).toBe("free");
    expect(evaluateRegionFee(seller, "810000", { quantity: 1 }).status).toBe("undeliverable");
    const byWeight = weight as ShippingTemplate;
    expect(evaluateRegionFee(byWeight, "650000", { quantity: 1, weight: 2 })).toMatchObject({
      status: "charged",
      fee: 10,
      service: "express",
    });
    expect(evaluateRegionFee(byWeight, "110000", { quantity: 1, weight: 2 })).toMatchObject({
      status: "unknown",
      reason: "no-default-row",
    });
    expect(evaluateRegionFee(byWeight, "310000", { quantity: 1, weight: 1 }).status).toBe("free");
  });

  it.each([
    ["a bare template", { template_id: 9, assumer: 2 }],
    ["a bare list", [{ template_id: 9, assumer: 2 }]],
    ["a wrapper without response root", { delivery_templates: { delivery_template: { template_id: 9, assumer: 2 } } }],
  ])("reads %s", (_, value) => {
    expect(parseOk(JSON.stringify(value), "x.json").templates.map((t) => [t.id, t.payer])).toEqual([["9", "seller"]]);
  });

  it("reads an empty response", () => {
    expect(parseOk('{"delivery_templates_get_response":{"total_results":0}}', "x.json").templates).toEqual([]);
  });

  it("keeps the higher of two default rows of one service, with a warning", () => {
    const parsed = parseOk(
      JSON.stringify({
        template_id: 1,
        assumer: 0,
        fee_list: [
          { service_type: "express", destination: "1", start_standard: 1, start_fee: 5, add_standard: 1, add_fee: 0 },
          { service_type: "express", destination: "1", start_standard: 1, start_fee: 8, add_standard: 1, add_fee: 0 },
        ],
      }),
      "x.json",
    );
    expect(parsed.templates[0]?.services[0]?.default?.firstFee).toBe(8);
    expect(parsed.warnings.map((w) => w.message)).toEqual([
      'service "express" has a second default row: the higher fee applies',
    ]);
  });

  it("reports every malformed value with its key and line", () => {
    const text = [
      "{", //                                                                                  1
      '  "delivery_templates_get_response": { "delivery_templates": [', //                     2
      '    { "template_id": 1, "assumer": 5, "valuation": 2,', //                              3
      '      "fee_list": [', //                                                                4
      '        { "service_type": "express", "destination": "1", "start_standard": "1",', //    5
      '          "start_fee": "abc", "add_standard": "0", "add_fee": "-1" }', //               6
      "      ] },", //                                                                         7
      '    { "name": "no id", "assumer": 0 }', //                                              8
      "  ] }", //                                                                              9
      "}", //                                                                                  10
    ].join("\n");
    const key = "delivery_templates_get_response.delivery_templates";
    expect(parseErrors(text, "bad.json")).toEqual([
      {
        file: "bad.json",
        line: 3,
        key: `${key}[0].assumer`,
        message: "must be 0, 1 (buyer pays), 2 or 3 (seller pays)",
        zh: "必须是 0、1（买家承担运费）、2 或 3（卖家承担运费）",
      },
      {
        file: "bad.json",
        line: 3,
        key: `${key}[0].valuation`,
        message: "must be 0 (piece), 1 (weight) or 3 (volume)",
        zh: "必须是 0（按件数）、1（按重量）或 3（按体积）",
      },
      {
        file: "bad.json",
        line: 6,
        key: `${key}[0].fee_list[0].start_fee`,
        message: "must be a number",
        zh: "必须是数字",
      },
      {
        file: "bad.json",
        line: 6,
        key: `${key}[0].fee_list[0].add_standard`,
        message: "must be greater than 0",
        zh: "必须大于 0",
      },
      {
        file: "bad.json",
        line: 6,
        key: `${key}[0].fee_list[0].add_fee`,
        message: "must not be negative",
        zh: "不能为负数",
      },
      { file: "bad.json", line: 8, key: `${key}[1].template_id`, message: expect.any(String), zh: "缺少此项" },
    ]);
  });
});

describe("detecting the format", () => {
  it("rejects a file that is neither format", () => {
    expect(parseErrors("listings: []\n", "x.yaml")).toEqual([
      {
        file: "x.yaml",
        line: 1,
        key: "",
        message:
          'not a shipping template file: expected "templates: [...]" or a Taobao Open Platform taobao.delivery.template(s).get response',
        zh: '不是运费模板文件：应为 "templates: [...]"，或淘宝开放平台 taobao.delivery.template(s).get 的响应',
      },
    ]);
  });

  it("names a Taobao Open Platform error response", () => {
    const [error] = parseErrors(
      '{"error_response":{"code":27,"msg":"Invalid session","sub_msg":"session expired"}}',
      "x.json",
    );
    expect(error?.message).toContain("session expired");
  });

  it("locates syntax errors", () => {
    const [error] = parseErrors("templates:\n  - id: [unclosed\n", "x.yaml");
    expect(error).toMatchObject({ file: "x.yaml", line: expect.any(Number) });
  });
});

describe("YAML syntax errors say where and what to do", () => {
  const lines = (text: string) => text.replace(/\n$/, "").split("\n").length;
  const cases: Array<{ mistake: string; text: string; line: number; zh: RegExp; en: RegExp }> = [
    {
      mistake: "a tab as indentation",
      text: "templates:\n\t- id: T1\n",
      line: 2,
      zh: /制表符（Tab）.*换成空格/,
      en: /indent with spaces/,
    },
    {
      mistake: "an unclosed double quote, reported where it opens (the parser says past the last line)",
      text: 'templates:\n  - id: "T1\n    name: 偏远\n',
      line: 2,
      zh: /引号没有闭合：这一行的 " 缺少结尾的 "/,
      en: /unclosed "/,
    },
    {
      mistake: "an unclosed single quote on the last line",
      text: "templates:\n  - id: 'T1",
      line: 2,
      zh: /引号没有闭合/,
      en: /unclosed '/,
    },
    {
      mistake: "an unclosed [ that the parser reports past the end",
      text: "templates:\n  - id: T1\n    noDelivery: [新疆, 西藏\n\n",
      line: 3,
      zh: /方括号没有闭合：这一行的 \[ 缺少结尾的 \]/,
      en: /unclosed \[/,
    },
    {
      mistake: "no space after a colon",
      text: "templates:1\nx: 2\n",
      line: 1,
      zh: /冒号后要加一个空格/,
      en: /space after the colon/,
    },
    {
      mistake: "a full-width colon",
      text: "templates：\n  - id: T1\n",
      line: 1,
      zh: /全角冒号「：」/,
      en: /half-width colon/,
    },
    {
      mistake: "a key written twice",
      text: "templates: []\ntemplates: []\n",
      line: 2,
      zh: /键重复/,
      en: /remove or rename/,
    },
    {
      mistake: "two documents in one file",
      text: "templates: []\n---\ntemplates: []\n",
      line: 2,
      zh: /多个文档（---）/,
      en: /^the file holds more than one YAML document: keep one document per file/,
    },
  ];
  for (const c of cases) {
    it(c.mistake, () => {
      const errors = parseErrors(c.text, "x.yaml");
      expect(errors[0]).toMatchObject({
        file: "x.yaml",
        line: c.line,
        key: "",
        zh: expect.stringMatching(c.zh),
        message: expect.stringMatching(c.en),
      });
      for (const error of errors) expect(error.line).toBeLessThanOrEqual(lines(c.text));
    });
  }

  it("a key without its space after the colon inside a list item is named with the fix", () => {
    const [error] = parseErrors("templates:\n  - id:T1\n");
    expect(error).toMatchObject({
      line: 2,
      key: "templates[0]",
      zh: '冒号后要加一个空格：写成 "id: T1"',
      message: expect.stringContaining('put a space after the colon: "id: T1"'),
    });
  });
});

describe("area lists as Chinese users write them", () => {
  it("one item holding names separated by 、，, ; or spaces is read as those names", () => {
    const parsed = parseOk(
      [
        "templates:",
        "  - id: T",
        "    default: { firstFee: 0 }",
        "    regions:",
        "      - { areas: [新疆、西藏，青海], firstFee: 20 }",
        "      - { areas: ['宁夏, 甘肃', 内蒙古　海南], firstFee: 12 }",
        "    freeWhen:",
        "      - { areas: [江苏 浙江；上海], minAmount: 99 }",
        "    noDelivery: [台湾、香港 澳门]",
      ].join("\n"),
    );
    const template = parsed.templates[0]!;
    const rows = template.services[0]!.rows;
    expect(rows.map((row) => [...row.areas].sort())).toEqual([
      ["540000", "630000", "650000"],
      ["150000", "460000", "620000", "640000"],
    ]);
    expect(template.freeWhen[0]?.areas).toEqual(["310000", "320000", "330000"]);
    expect(template.noDelivery).toEqual(["710000", "810000", "820000"]);
  });

  it("an unknown part of a split item is located at the item", () => {
    const split = parseErrors("templates:\n  - id: T\n    default: { firstFee: 0 }\n    noDelivery: [新疆 火星]\n");
    expect(split).toEqual([
      expect.objectContaining({
        line: 4,
        key: "templates[0].noDelivery",
        zh: expect.stringMatching(/^未知地区 "火星"/),
      }),
    ]);
  });

  it("an unknown name gets the nearest known names, aliases shown as their region", () => {
    const [error] = parseErrors("templates:\n  - id: T\n    default: { firstFee: 0 }\n    noDelivery: [西臧]\n");
    expect(error).toMatchObject({
      line: 4,
      key: "templates[0].noDelivery",
      zh: '未知地区 "西臧"，是否指 西藏？',
      message: 'unknown region "西臧" (did you mean 西藏?)',
    });
    expect(regions.suggest?.("港奥台")).toEqual(["港澳台"]);
    expect(regions.suggest?.("甘粛")).toEqual(["甘肃"]);
  });

  it("a region listed again through a group names the group that holds it, in either order", () => {
    const groupFirst = parseErrors(
      "templates:\n  - id: T\n    default: { firstFee: 0 }\n    noDelivery: [港澳台, 台湾]\n",
    );
    expect(groupFirst).toEqual([
      expect.objectContaining({
        line: 4,
        zh: '地区 "台湾" 重复：前面的 "港澳台"（templates[0].noDelivery，第 4 行）已经包含它，请删掉其中一处',
      }),
    ]);
    const regionFirst = parseErrors(
      "templates:\n  - id: T\n    default: { firstFee: 0 }\n    noDelivery:\n      - 台湾\n      - 港澳台\n",
    );
    expect(regionFirst).toEqual([
      expect.objectContaining({
        line: 6,
        zh: '地区 "台湾" 重复："港澳台" 包含的 "台湾" 已在 templates[0].noDelivery，第 5 行 写过，请删掉其中一处',
      }),
    ]);
  });
});

describe("loadTemplateFiles", () => {
  it("walks folders recursively in sorted order and keeps warnings", async () => {
    const set = await loadTemplateFiles([`${FIXTURES}/shop`], regions, process.cwd());
    if (!set.ok) throw new Error(JSON.stringify(set.errors));
    expect([...set.value.templates.keys()]).toEqual(["T1", "T2", "1780373930", "2001", "2002"]);
    expect(set.value.warnings).toHaveLength(2);
  });

  it("rejects a template id defined in two files, naming both places", async () => {
    const result = await loadTemplateFiles(
      [`${FIXTURES}/duplicate`, `${FIXTURES}/shop/top/nested.json`],
      regions,
      process.cwd(),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      expect.objectContaining({
        file: `${FIXTURES}/duplicate/b.json`,
        line: 3,
        key: "id",
        message: `duplicate template id "A" (first defined at ${FIXTURES}/duplicate/a.yaml:2)`,
      }),
      expect.objectContaining({
        file: `${FIXTURES}/shop/top/nested.json`,
        line: 1,
        key: "id",
        message: `duplicate template id "1780373930" (first defined at ${FIXTURES}/duplicate/a.yaml:4)`,
      }),
    ]);
  });

  it("reads a file named twice once", async () => {
    const result = await loadTemplateFiles(
      [`${FIXTURES}/shop/ours.yaml`, `./${FIXTURES}/shop/ours.yaml`],
      regions,
      process.cwd(),
    );
    expect(result.ok && [...result.value.templates.keys()]).toEqual(["T1", "T2"]);
  });

  it("fails on a missing path and on a folder without template files", async () => {
    const empty = await mkdtemp(path.join(tmpdir(), "templates-"));
    try {
      const result = await loadTemplateFiles([`${FIXTURES}/missing.yaml`, empty], regions, process.cwd());
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors.map((e) => [e.file, e.message.split(":")[0]])).toEqual([
        [`${FIXTURES}/missing.yaml`, "cannot read"],
        [empty, "no .yaml, .yml or .json file in this folder"],
      ]);
    } finally {
      await rm(empty, { recursive: true });
    }
  });
});

describe("docs/templates.md", () => {
  it("every YAML example is a valid template file; the seller-center card reads as the table says", async () => {
    const doc = await readFile("docs/templates.md", "utf8");
    const blocks = [...doc.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const parsed = blocks.map((block) => parseOk(block));
    const card = parsed.flatMap((p) => p.templates).find((t) => t.id === "1780373930")!;
    expect(card).toMatchObject({
      name: "偏远地区不包邮",
      payer: "buyer",
      valuation: "piece",
      shipFrom: "330000",
      noDelivery: ["710000", "810000", "820000", "overseas"],
    });
    expect(card.services[0]!.rows.map((row) => [...row.areas].sort())).toEqual([
      ["540000", "650000"],
      ["150000", "620000", "630000", "640000"],
    ]);
    expect(card.freeWhen).toMatchObject([{ areas: ["310000", "320000", "330000"], minAmount: 49 }]);
  });
});
