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
  | { kind: "field"; value: TextField }
  | { kind: "regions"; value: readonly FindingRegion[] }
  | { kind: "regionNames"; value: readonly RegionCode[] }
  /** The Chinese exclusion phrase a seller could add (新疆西藏除外): listing text, never translated. */
  | { kind: "exclusionPhrase"; value: readonly RegionCode[] }
  | { kind: "terms"; value: TermsRef }
  | { kind: "rows"; value: readonly RowChange[] }
  | { kind: "condition"; value: { minAmount?: number; minQuantity?: number } };

export type MessageData = Readonly<Record<string, MessageArg>>;

export const arg = {
  text: (value: string): MessageArg => ({ kind: "text", value }),
  localized: (value: Readonly<Record<Lang, string>>): MessageArg => ({ kind: "localized", value }),
  number: (value: number): MessageArg => ({ kind: "number", value }),
  money: (value: number): MessageArg => ({ kind: "money", value }),
  field: (value: TextField): MessageArg => ({ kind: "field", value }),
  regions: (value: readonly FindingRegion[]): MessageArg => ({ kind: "regions", value }),
  regionNames: (value: readonly RegionCode[]): MessageArg => ({ kind: "regionNames", value }),
  exclusionPhrase: (value: readonly RegionCode[]): MessageArg => ({ kind: "exclusionPhrase", value }),
  terms: (value: TermsRef): MessageArg => ({ kind: "terms", value }),
  rows: (value: readonly RowChange[]): MessageArg => ({ kind: "rows", value }),
  condition: (value: { minAmount?: number; minQuantity?: number }): MessageArg => ({ kind: "condition", value }),
} as const;
