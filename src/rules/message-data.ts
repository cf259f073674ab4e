import type { FindingRegion, Lang, RegionCode, TextField } from "../model.js";

/** How a finding's terms are named in a message: a real template by id, or the listing's own settings. */
export type TermsRef =
  | { kind: "template"; id: string }
  | { kind: "seller-pays" }
  | { kind: "flat-fees" }
  | { kind: "page" }
  | { kind: "unknown"; templateId?: string };

/** A template row a fix asks the seller to change: which row, which part of the schedule, its fee. */
export interface RowChange {
  /** The row's label as the seller sees it (新疆、西藏 or 默认). */
  row: string;
  part: "first" | "next";
  fee: number;
}

/**
 * Typed message arguments. Rules produce these; `renderMessage` is the one place that turns them into
 * words, so every reporter and language shows the same evidence.
 */
export type MessageArg =
  | { kind: "text"; value: string }
  /** A word given in every language by rule data (a pack's option), shown in the report's language. */
  | { kind: "localized"; value: Readonly<Record<Lang, string>> }
  | { kind: "number"; value: number }
  | { kind: "money"; value: number }
  /** The lowest fee of a claim every province pays for, and the quantity from which it applies. */
  | { kind: "leastFee"; value: { fee: number; quantity: number } }
  | { kind: "field"; value: TextField }
  | { kind: "regions"; value: readonly FindingRegion[] }
  | { kind: "regionNames"; value: readonly RegionCode[] }
  /** The Chinese exclusion phrase a seller could add (新疆西藏除外): listing text, never translated. */
  | { kind: "exclusionPhrase"; value: readonly RegionCode[] }
  | { kind: "terms"; value: TermsRef }
  | { kind: "rows"; value: readonly RowChange[] }
  | { kind: "condition"; value: { minAmount?: number; minQuantity?: number } }
  /**
   * What regions still pay once a condition holds, as a buyer reads it: grouped by the quantity bought and
   * the fee. `price` (when known) shows which amount a quantity reaches (买 3 件（满¥99）).
   */
  | { kind: "charges"; value: { regions: readonly FindingRegion[]; condition: ClaimConditionData; price?: number } }
  /** The free area a seller could state (满99元包邮仅限江浙沪皖粤京): listing text, never translated. */
  | { kind: "freeAreaPhrase"; value: { regions: readonly RegionCode[]; condition: ClaimConditionData } }
  /** The delivery area a seller could state (仅发江浙沪): listing text, never translated. */
  | { kind: "deliveryAreaPhrase"; value: readonly RegionCode[] };

/** An amount or count condition as messages show it. */
export interface ClaimConditionData {
  minAmount?: number;
  minQuantity?: number;
}

export type MessageData = Readonly<Record<string, MessageArg>>;

export const arg = {
  text: (value: string): MessageArg => ({ kind: "text", value }),
  localized: (value: Readonly<Record<Lang, string>>): MessageArg => ({ kind: "localized", value }),
  number: (value: number): MessageArg => ({ kind: "number", value }),
  money: (value: number): MessageArg => ({ kind: "money", value }),
  leastFee: (value: { fee: number; quantity: number }): MessageArg => ({ kind: "leastFee", value }),
  field: (value: TextField): MessageArg => ({ kind: "field", value }),
  regions: (value: readonly FindingRegion[]): MessageArg => ({ kind: "regions", value }),
  regionNames: (value: readonly RegionCode[]): MessageArg => ({ kind: "regionNames", value }),
  exclusionPhrase: (value: readonly RegionCode[]): MessageArg => ({ kind: "exclusionPhrase", value }),
  terms: (value: TermsRef): MessageArg => ({ kind: "terms", value }),
  rows: (value: readonly RowChange[]): MessageArg => ({ kind: "rows", value }),
  condition: (value: ClaimConditionData): MessageArg => ({ kind: "condition", value }),
  charges: (value: {
    regions: readonly FindingRegion[];
    condition: ClaimConditionData;
    price?: number;
  }): MessageArg => ({ kind: "charges", value }),
  deliveryAreaPhrase: (value: readonly RegionCode[]): MessageArg => ({ kind: "deliveryAreaPhrase", value }),
  freeAreaPhrase: (value: { regions: readonly RegionCode[]; condition: ClaimConditionData }): MessageArg => ({
    kind: "freeAreaPhrase",
    value,
  }),
} as const;
