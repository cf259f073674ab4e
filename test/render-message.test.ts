import { describe, expect, it } from "vitest";
import type { FindingRegion } from "../src/model.js";
import { arg } from "../src/rules/message-data.js";
import { renderMessage, type Wording } from "../src/engine/render-message.js";
import { loadBundledData } from "./helpers/bundled-data.js";

const { regions, packs } = await loadBundledData();
const zh: Wording = { texts: packs.texts, lang: "zh", regions };
const en: Wording = { ...zh, lang: "en" };
const render = (value: ReturnType<(typeof arg)[keyof typeof arg]>, wording = zh) =>
  renderMessage("{x}", { x: value }, wording);
const region = (code: string, fee: number, quantity: number): FindingRegion => ({
  code,
  name: regions.get(code)?.name ?? code,
  fee,
  quantity,
});

describe("renderMessage", () => {
  it("groups a conditional claim's charges by quantity, then fee, in the order sellers name regions", () => {
    const charges = arg.charges({
      regions: [region("150000", 24, 3), region("540000", 40, 3), region("650000", 40, 3), region("460000", 8, 4)],
      condition: { minAmount: 68 },
      price: 22.8,
    });
    expect(render(charges)).toBe(
      "买 3 件（满¥68）仍收运费：新疆、西藏 ¥40，内蒙古 ¥24；买 4 件（满¥68）仍收运费：海南 ¥8",
    );
    expect(render(charges, en)).toBe(
      "buying 3 items (an order of ¥68) still costs ¥40 for Xinjiang, Tibet and ¥24 for Inner Mongolia; buying 4 items (an order of ¥68) still costs ¥8 for Hainan",
    );
  });

  it("names the amount only where the quantity reaches it, and the condition alone without a price", () => {
    const both = { minAmount: 128, minQuantity: 3 };
    expect(render(arg.charges({ regions: [region("650000", 20, 3)], condition: both, price: 10 }))).toBe(
      "买 3 件仍收运费：新疆 ¥20",
    );
    expect(render(arg.charges({ regions: [region("650000", 20, 1)], condition: { minAmount: 99 } }))).toBe(
      "满¥99仍收运费：新疆 ¥20",
    );
  });

  it("writes the free area with the region data's group words, then one-character names", () => {
    const free = ["110000", "310000", "320000", "330000", "340000", "440000"];
    expect(render(arg.freeAreaPhrase({ regions: free, condition: { minAmount: 99 } }))).toBe(
      "满99元包邮仅限江浙沪皖粤京",
    );
    expect(render(arg.freeAreaPhrase({ regions: free, condition: {} }), en)).toBe("包邮仅限江浙沪皖粤京");
    expect(render(arg.freeAreaPhrase({ regions: ["110000", "440000"], condition: { minQuantity: 2 } }))).toBe(
      "满2件包邮仅限广东北京",
    );
  });

  it("writes exclusions remote regions first, whole groups by their word", () => {
    expect(render(arg.exclusionPhrase(["710000", "540000", "810000", "820000", "650000"]))).toBe("新疆西藏港澳台除外");
    expect(render(arg.exclusionPhrase(["650000", "210000", "220000", "230000"]))).toBe("新疆东三省除外");
  });

  it("states the lowest fee with its quantity only above one item", () => {
    expect(render(arg.leastFee({ fee: 8, quantity: 1 }))).toBe("最低 ¥8");
    expect(render(arg.leastFee({ fee: 5, quantity: 2 }))).toBe("买 2 件时最低 ¥5");
  });

  it("shows a pack's localized word in the report's language", () => {
    expect(render(arg.localized({ zh: "天猫", en: "Tmall" }))).toBe("天猫");
    expect(render(arg.localized({ zh: "天猫", en: "Tmall" }), en)).toBe("Tmall");
  });
});
