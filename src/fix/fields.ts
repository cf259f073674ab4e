import type { Listing, TextField } from "../model.js";

/** One text field of a listing: `index` is the SKU's for `sku`. */
export interface FieldRef {
  field: TextField;
  index?: number;
}

export function fieldKey(ref: FieldRef): string {
  return ref.field === "sku" ? `sku[${ref.index ?? 0}]` : ref.field;
}

export function readField(listing: Listing, ref: FieldRef): string | undefined {
  if (ref.field === "sku") return listing.skus?.[ref.index ?? 0]?.name;
  return listing[ref.field];
}

/** A copy of the listing with one text field set; nothing else changes. */
export function writeField(listing: Listing, ref: FieldRef, value: string): Listing {
  if (ref.field !== "sku") return { ...listing, [ref.field]: value };
  const index = ref.index ?? 0;
  const skus = (listing.skus ?? []).map((sku, i) => (i === index ? { ...sku, name: value } : sku));
  return { ...listing, skus };
}
