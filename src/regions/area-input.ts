import type { RegionCatalogue } from "../model.js";

/**
 * Separators a Chinese user types between region names inside one list item: 、，, ; ； and spaces
 * (`[新疆、西藏、青海]` is one item to YAML).
 */
const SEPARATORS = /[、，,;；\s\u3000]+/;

/**
 * The region terms one list item stands for: the item itself when the catalogue knows it (a name with a
 * space such as "New York"), else its parts between separators.
 */
export function splitAreaItem(item: string, regions: RegionCatalogue): string[] {
  const text = item.trim();
  if (text === "" || regions.resolve(text)) return [text];
  const parts = text.split(SEPARATORS).filter((part) => part !== "");
  return parts.length > 0 ? parts : [text];
}

/** `unknown region "西臧"` with the nearest known names, in both languages. */
export function describeUnknownRegion(term: string, regions: RegionCatalogue): { message: string; zh: string } {
  const near = regions.suggest?.(term) ?? [];
  if (near.length > 0) {
    return {
      message: `unknown region "${term}" (did you mean ${near.join(", ")}?)`,
      zh: `未知地区 "${term}"，是否指 ${near.join("、")}？`,
    };
  }
  return {
    message: `unknown region "${term}": write a province name or short name, a group such as 港澳台, or a GB/T 2260 code`,
    zh: `未知地区 "${term}"：请写省级地区的名称或简称、地区组（如 港澳台、偏远地区）或行政区划代码`,
  };
}
