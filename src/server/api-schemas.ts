// JSON Schemas of the API: Fastify validates requests and serialises responses with them, and
// @fastify/swagger derives /api/openapi.json from the same objects, so the document cannot drift.

import { shopSettingsJsonSchema } from "./shop-settings.js";

const located = {
  type: "object",
  required: ["file", "key", "message"],
  properties: {
    file: { type: "string" },
    line: { type: "integer" },
    key: { type: "string" },
    message: { type: "string" },
    zh: { type: "string" },
  },
} as const;

export const errorSchema = {
  $id: "Error",
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        errors: { type: "array", items: located },
      },
    },
  },
} as const;

const source = {
  type: "object",
  properties: {
    file: { type: "string" },
    row: { type: "integer" },
    line: { type: "integer" },
    field: { type: "string" },
    url: { type: "string" },
  },
  additionalProperties: true,
} as const;

const claim = {
  type: "object",
  required: ["text", "field", "start", "end"],
  properties: {
    text: { type: "string" },
    field: { type: "string" },
    start: { type: "integer" },
    end: { type: "integer" },
    index: { type: "integer" },
  },
} as const;

/** One finding, as docs/report-format.md#findings describes it. */
export const findingSchema = {
  $id: "Finding",
  type: "object",
  required: [
    "ruleId",
    "severity",
    "listingId",
    "message",
    "source",
    "claim",
    "relatedClaims",
    "regions",
    "templateId",
    "fix",
  ],
  properties: {
    ruleId: { type: "string" },
    severity: { type: "string", enum: ["error", "warning", "info"] },
    listingId: { type: "string" },
    message: { type: "string" },
    source,
    claim: { anyOf: [claim, { type: "null" }] },
    relatedClaims: { type: "array", items: claim },
    regions: {
      type: "array",
      items: {
        type: "object",
        required: ["code", "name", "fee"],
        properties: {
          code: { type: "string" },
          name: { type: "string" },
          fee: { type: ["number", "null"] },
          quantity: { type: ["integer", "null"] },
          partial: { type: "boolean" },
        },
      },
    },
    templateId: { type: ["string", "null"] },
    fix: { type: "string" },
    reference: { type: "string" },
    baselined: { type: "boolean" },
    compared: { type: "string", enum: ["new", "unchanged"] },
  },
} as const;

export const problemSchema = {
  $id: "Problem",
  type: "object",
  required: ["code", "message", "source"],
  properties: {
    code: { type: "string" },
    message: { type: "string" },
    zh: { type: "string" },
    source,
    listingId: { type: "string" },
  },
} as const;

/** A finding as stored in a run: the report's shape (docs/report-format.md#findings) plus its row id, fingerprint and new/known status. */
export const storedFindingSchema = {
  $id: "StoredFinding",
  allOf: [
    { $ref: "Finding#" },
    {
      type: "object",
      required: ["id", "fingerprint", "status"],
      properties: {
        id: { type: "integer" },
        fingerprint: { type: "string" },
        status: { type: "string", enum: ["new", "known"] },
      },
    },
  ],
} as const;

const counts = {
  type: "object",
  required: ["listings", "findings", "error", "warning", "info", "problems", "skipped"],
  properties: Object.fromEntries(
    ["listings", "findings", "error", "warning", "info", "problems", "skipped"].map((k) => [k, { type: "integer" }]),
  ),
} as const;

export const runSchema = {
  $id: "Run",
  type: "object",
  required: [
    "id",
    "shop",
    "status",
    "platform",
    "lang",
    "createdAt",
    "startedAt",
    "finishedAt",
    "settings",
    "summary",
    "failure",
    "files",
  ],
  properties: {
    id: { type: "string" },
    shop: { type: "string" },
    status: {
      type: "string",
      enum: ["queued", "running", "done", "failed"],
      description: "queued: waiting for a slot (`serve --max-runs`), in upload order",
    },
    queuePosition: { type: "integer", minimum: 1, description: "while queued: its place, 1 for the next to start" },
    platform: { type: "string" },
    lang: { type: "string" },
    createdAt: { type: "string", format: "date-time" },
    startedAt: { type: ["string", "null"], format: "date-time" },
    finishedAt: { type: ["string", "null"], format: "date-time" },
    settings: {
      anyOf: [{ $ref: "ShopSettings#" }, { type: "null" }],
      description: "the shop settings the run applied (keys the upload gave itself left out); null: none",
    },
    summary: counts,
    failure: { type: ["string", "null"] },
    files: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "kind"],
        properties: { name: { type: "string" }, kind: { type: "string", enum: ["export", "template"] } },
      },
    },
  },
} as const;

export const templateSchema = {
  $id: "Template",
  type: "object",
  required: ["id", "name", "text", "createdAt", "updatedAt", "templateIds"],
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    text: { type: "string" },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
    templateIds: { type: "array", items: { type: "string" }, description: "ids of the templates the document holds" },
  },
} as const;

export const SHARED_SCHEMAS = [
  errorSchema,
  shopSettingsJsonSchema,
  findingSchema,
  problemSchema,
  storedFindingSchema,
  runSchema,
  templateSchema,
] as const;

export const errorResponses = {
  400: { $ref: "Error#" },
  401: { $ref: "Error#" },
  404: { $ref: "Error#" },
} as const;
