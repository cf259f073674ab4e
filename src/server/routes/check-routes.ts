import type { FastifyInstance } from "fastify";
import { PLATFORMS, TEXT_FIELDS, type Lang, type Platform } from "../../model.js";
import { errorResponses } from "../api-schemas.js";
import { apiError, type ServerContext } from "../server-context.js";
import { applyShopSettings, shopTemplates } from "../shop-settings.js";
import { getShopSettings } from "../storage/shop-settings-store.js";
import { getTemplate } from "../storage/templates-store.js";

/** Where a claim or disclosure stands in a field's visible text. */
const mark = {
  type: "object",
  required: ["start", "end", "text"],
  properties: { start: { type: "integer" }, end: { type: "integer" }, text: { type: "string" } },
} as const;

/** A finding's one-click text fix: the field edits of `planFixes`, or the reason it was refused. */
const findingFix = {
  type: "object",
  required: ["edits", "notes"],
  additionalProperties: false,
  properties: {
    edits: {
      type: "array",
      items: {
        type: "object",
        required: ["field", "before", "after"],
        additionalProperties: false,
        properties: {
          field: { type: "string", enum: [...TEXT_FIELDS] },
          index: { type: "integer", minimum: 0, description: "the SKU's index for `sku`" },
          before: { type: "string" },
          after: { type: "string" },
        },
      },
    },
    notes: { type: "array", items: { type: "string" }, description: "what the fix leaves to the operator" },
    refused: {
      type: "object",
      required: ["reason", "message"],
      additionalProperties: false,
      properties: {
        reason: { type: "string", description: "a reason code of rules.yaml `fixes.reasons`" },
        message: { type: "string" },
      },
    },
  },
} as const;

interface CheckBody {
  listing: Record<string, unknown>;
  templates?: unknown;
  templateText?: string;
  templateId?: string;
  platform?: Platform;
  lang?: Lang;
  shop?: string;
}

/** `POST /api/v1/check`: one listing, checked at once (what an ERP calls before it publishes). */
export function registerCheckRoutes(app: FastifyInstance, context: ServerContext): void {
  app.post<{ Body: CheckBody }>(
    "/api/v1/check",
    {
      schema: {
        summary: "Check one listing against templates given inline or stored",
        tags: ["check"],
        body: {
          type: "object",
          required: ["listing"],
          additionalProperties: false,
          properties: {
            listing: { type: "object", description: "a listing (docs/listing-format.md)" },
            templates: {
              type: "object",
              description: "a templates document as JSON: ours or a Taobao Open Platform response",
            },
            templateText: {
              type: "string",
              maxLength: 1048576,
              description: "a templates document as YAML or JSON text",
            },
            templateId: { type: "string", description: "the id of a stored templates document" },
            platform: { type: "string", enum: [...PLATFORMS] },
            lang: { type: "string", enum: ["zh", "en"] },
            shop: {
              type: "string",
              minLength: 1,
              maxLength: 100,
              description: "apply this shop's settings; platform and templates given here win over them",
            },
          },
        },
        response: {
          200: {
            type: "object",
            required: ["listingId", "findings", "fixes", "problems", "fields"],
            properties: {
              listingId: { type: "string" },
              settings: {
                $ref: "ShopSettings#",
                description: "with `shop`: the shop settings applied (keys the request gave itself left out)",
              },
              allowlisted: {
                type: "boolean",
                description: "the shop's `allow.listings` or `allow.urls` names the listing: it was not checked",
              },
              suppressed: { type: "integer", description: "findings the shop's `allow.phrases` dropped" },
              findings: { type: "array", items: { $ref: "Finding#" } },
              fixes: {
                type: "array",
                items: findingFix,
                description: "each finding's one-click text fix, in the order of `findings`",
              },
              problems: { type: "array", items: { $ref: "Problem#" } },
              fields: {
                type: "array",
                items: {
                  type: "object",
                  required: ["field", "text", "claims", "disclosures"],
                  properties: {
                    field: { type: "string" },
                    index: { type: "integer" },
                    text: { type: "string" },
                    claims: { type: "array", items: mark },
                    disclosures: { type: "array", items: mark },
                  },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const given = [body.templates, body.templateText, body.templateId].filter((t) => t !== undefined).length;
      if (given > 1)
        return reply
          .code(400)
          .send(apiError("check/templates", "give templates, templateText or templateId, not several"));
      const settings =
        body.shop === undefined
          ? undefined
          : applyShopSettings(getShopSettings(context.db, body.shop)?.settings, {
              platform: body.platform,
              templates: given > 0,
            });
      let templates: { text: string; name: string }[] | undefined;
      if (body.templates !== undefined) templates = [{ text: JSON.stringify(body.templates), name: "templates" }];
      if (body.templateText !== undefined) templates = [{ text: body.templateText, name: "templateText" }];
      if (body.templateId !== undefined) {
        const stored = getTemplate(context.db, body.templateId);
        if (!stored)
          return reply.code(404).send(apiError("template/not-found", `no stored template ${body.templateId}`));
        templates = [{ text: stored.text, name: stored.name }];
      }
      if (settings?.templateIds) {
        const stored = shopTemplates(context.db, settings);
        if (!stored.ok)
          return reply
            .code(400)
            .send(apiError("check/shop-settings", "the shop's settings cannot be applied", stored.errors));
        templates = stored.value.map(({ text, name }) => ({ text, name }));
      }
      const result = await context.check({
        listing: body.listing,
        ...(templates ? { templates } : {}),
        platform: body.platform ?? settings?.platform ?? "taobao",
        lang: body.lang ?? "zh",
        ...(settings ? { settings } : {}),
      });
      if (!result.ok)
        return reply
          .code(400)
          .send(apiError("check/invalid", "the listing, templates or shop settings do not validate", result.errors));
      return settings ? { settings, ...result.value } : result.value;
    },
  );
}
