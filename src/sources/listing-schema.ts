import { z } from "zod";
import type { Listing, Problem, ProblemCode, SourceLocation } from "../model.js";
import { formatKeyPath } from "../util/result.js";

/**
 * Exports write numbers as strings ("19.90") as often as not, so number fields accept a decimal string too;
 * anything else that is not a finite number is an invalid field.
 */
const numberLike = z.union(
  [
    z.number().refine(Number.isFinite, "expected a finite number"),
    z
      .string()
      .trim()
      .regex(/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/, "expected a number")
      .transform(Number),
  ],
  // zod's own message for a failed union is a bare "Invalid input".
  { error: (issue) => `expected a number, got ${describeValue(issue.input)}` },
);

/** A numeric id (数字ID written without quotes) is the same id as its decimal string. */
const idLike = z.union([z.string(), z.number().int().nonnegative().transform(String)]);

const text = z.string();

/**
 * The listing format (docs/listing-format.md#fields). Keys it does not name are ignored, so exports with extra
 * columns still audit.
 */
export const listingSchema = z.object({
  id: idLike.refine((s) => s.trim() !== "", "id must not be empty"),
  title: text,
  subtitle: text.optional(),
  description: text.optional(),
  mobileDescription: text.optional(),
  skus: z.array(z.object({ name: text, price: numberLike.optional() })).optional(),
  templateId: z.union([z.string(), z.number().int().nonnegative().transform(String)]).optional(),
  freightPayer: z.enum(["seller", "buyer"]).optional(),
  fees: z
    .object({ express: numberLike.optional(), ems: numberLike.optional(), post: numberLike.optional() })
    .optional(),
  price: numberLike.optional(),
  weight: numberLike.optional(),
  volume: numberLike.optional(),
  invoice: z.boolean().optional(),
  shipFrom: text.optional(),
  category: text.optional(),
  platform: text.optional(),
  url: text.optional(),
});

export type ListingCheck = { ok: true; listing: Listing } | { ok: false; problem: Problem };

/**
 * Validates one parsed record. `null` values count as absent, the way exports leave empty cells.
 * A record that fails is one Problem naming every bad field, so the caller can skip it and go on.
 */
export function checkListing(raw: unknown, source: SourceLocation): ListingCheck {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return fail(
      "listing/not-an-object",
      `record is ${Array.isArray(raw) ? "an array" : raw === null ? "null" : `a ${typeof raw}`}, not an object`,
      source,
    );
  }
  const record = dropNulls(raw as Record<string, unknown>);
  const id = typeof record.id === "string" || typeof record.id === "number" ? String(record.id) : undefined;
  if (record.id === undefined || (typeof record.id === "string" && record.id.trim() === "")) {
    return fail("listing/missing-id", "record has no id", source);
  }
  if (record.title === undefined) {
    return fail("listing/missing-title", `listing ${id ?? ""} has no title`, source, id);
  }
  const parsed = listingSchema.safeParse(record);
  if (parsed.success) return { ok: true, listing: stripUndefined(parsed.data) };
  const details = parsed.error.issues.map((issue) => `${formatKeyPath(issue.path)}: ${issue.message}`).join("; ");
  const first = parsed.error.issues[0];
  const field = first && typeof first.path[0] === "string" ? first.path[0] : undefined;
  return fail(
    "listing/invalid-field",
    `listing ${id ?? "(no id)"}: ${details}`,
    field ? { ...source, field } : source,
    id,
  );
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`;
}

function fail(code: ProblemCode, message: string, source: SourceLocation, listingId?: string): ListingCheck {
  return { ok: false, problem: { code, message, source, ...(listingId === undefined ? {} : { listingId }) } };
}

/**
 * Listing objects nest one level (`fees`); deeper values are left as they are, however deep they go.
 * The copy has no prototype: JSON.parse and YAML keep a `__proto__` key as an own property, and copying
 * it into a plain object would make it the record's prototype, its fields the listing's.
 */
function dropNulls(record: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (value === null) continue;
    out[key] =
      depth === 0 && typeof value === "object" && !Array.isArray(value)
        ? dropNulls(value as Record<string, unknown>, 1)
        : value;
  }
  return out;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
