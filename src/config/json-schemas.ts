import { z } from "zod";
import { listingSchema } from "../sources/listing-schema.js";
import { templateFileSchema } from "../templates/native-templates.js";
import { configSchema } from "./schema.js";

/** An id makes the generator write the listing once, under `definitions`, and refer to it twice. */
const listing = listingSchema.meta({
  id: "listing",
  description: "One listing (docs/listing-format.md#fields); other keys are ignored",
});

/** A listings file (see docs/listing-format.md#files): a top-level array, or an object with `listings: [...]`. */
const listingsFileSchema = z.union([
  z.array(listing),
  z.looseObject({ $schema: z.string().optional(), listings: z.array(listing) }),
]);

/** The files under schemas/, each derived from the zod schema the loader validates with. */
const SCHEMAS = [
  {
    file: "config.schema.json",
    title: "listing-auditor config",
    description: "listing-audit.config.yaml / .yml / .json (docs/config.md)",
    schema: configSchema,
  },
  {
    file: "templates.schema.json",
    title: "listing-auditor shipping templates",
    description: "Shipping templates in listing-auditor's own format (docs/templates.md#our-format)",
    schema: templateFileSchema,
  },
  {
    file: "listings.schema.json",
    title: "listing-auditor listings",
    description: "Listings as JSON or YAML (docs/listing-format.md); JSONL files hold one such listing per line",
    schema: listingsFileSchema,
    adjust: allowNullsInListings,
  },
] as const;

type JsonSchemaNode = {
  type?: unknown;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  [key: string]: unknown;
};

/**
 * The loader reads `null` as an absent key (exports leave empty cells as null), in a listing and one
 * object down (`fees`): the schema says so, so editors do not flag what the auditor accepts. A required
 * key stays non-null: without it the listing is a problem.
 */
function allowNullsInListings(schema: Record<string, unknown>): Record<string, unknown> {
  const definitions = schema.definitions as Record<string, JsonSchemaNode> | undefined;
  const listing = definitions?.listing;
  if (!definitions || !listing) throw new Error("the listings schema has no listing definition");
  return { ...schema, definitions: { ...definitions, listing: allowNullOptionals(listing, true) } };
}

function allowNullOptionals(node: JsonSchemaNode, descend: boolean): JsonSchemaNode {
  if (node.type !== "object" || node.properties === undefined) return node;
  const required = new Set(node.required ?? []);
  const properties = Object.fromEntries(
    Object.entries(node.properties).map(([key, value]) => {
      const inner = descend ? allowNullOptionals(value, false) : value;
      return [key, required.has(key) ? inner : { anyOf: [inner, { type: "null" }] }];
    }),
  );
  return { ...node, properties };
}

/**
 * The JSON Schemas as file name → file text. They describe what a user writes (zod's input side: defaults
 * are optional, numeric strings allowed where the loader accepts them), in draft-07, which editors know
 * best. scripts/generate-schemas.mjs writes them; a test fails when the committed files differ.
 */
export function renderJsonSchemas(): Array<{ file: string; text: string }> {
  return SCHEMAS.map((entry) => {
    const { $schema, ...rest } = z.toJSONSchema(entry.schema, { target: "draft-7", io: "input" });
    const adjusted = "adjust" in entry ? entry.adjust(rest) : rest;
    return {
      file: entry.file,
      text: `${JSON.stringify({ $schema, title: entry.title, description: entry.description, ...adjusted }, null, 2)}\n`,
    };
  });
}
