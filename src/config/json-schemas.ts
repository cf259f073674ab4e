import { z } from "zod";
import { listingSchema } from "../sources/listing-schema.js";
import { templateFileSchema } from "../templates/native-templates.js";
import { configSchema } from "./schema.js";

/** An id makes the generator write the listing once, under `definitions`, and refer to it twice. */
const listing = listingSchema.meta({ id: "listing", description: "One listing (contract §2); other keys are ignored" });

/** A listings file (contract §2): a top-level array, or an object with `listings: [...]`. */
const listingsFileSchema = z.union([z.array(listing), z.looseObject({ $schema: z.string().optional(), listings: z.array(listing) })]);

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
    description: "Shipping templates in listing-auditor's own format (contract §3, docs/templates.md)",
    schema: templateFileSchema,
  },
  {
    file: "listings.schema.json",
    title: "listing-auditor listings",
    description: "Listings as JSON or YAML (contract §2); JSONL files hold one such listing per line",
    schema: listingsFileSchema,
  },
] as const;

/**
 * The JSON Schemas as file name → file text. They describe what a user writes (zod's input side: defaults
 * are optional, numeric strings allowed where the loader accepts them), in draft-07, which editors know
 * best. scripts/generate-schemas.mjs writes them; a test fails when the committed files differ.
 */
export function renderJsonSchemas(): Array<{ file: string; text: string }> {
  return SCHEMAS.map(({ file, title, description, schema }) => {
    const { $schema, ...rest } = z.toJSONSchema(schema, { target: "draft-7", io: "input" });
    return { file, text: `${JSON.stringify({ $schema, title, description, ...rest }, null, 2)}\n` };
  });
}
