import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { evaluateRegionFee, parseTemplates } from "../../templates/index.js";
import type { LocatedError, Result } from "../../util/result.js";
import { errorResponses } from "../api-schemas.js";
import { apiError, type ServerContext } from "../server-context.js";
import {
  deleteTemplate,
  getTemplate,
  insertTemplate,
  listTemplates,
  updateTemplate,
  type StoredTemplate,
} from "../storage/templates-store.js";

const idParams = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", pattern: "^[0-9a-f]{12}$" } },
} as const;

const templateBody = {
  type: "object",
  required: ["name", "text"],
  additionalProperties: false,
  properties: {
    name: { type: "string", minLength: 1, maxLength: 100 },
    text: {
      type: "string",
      minLength: 1,
      maxLength: 1048576,
      description: "our YAML/JSON templates document, or a Taobao Open Platform response",
    },
  },
} as const;

/** Stored template documents: created, listed, replaced and deleted, each validated with located errors. */
export function registerTemplateRoutes(app: FastifyInstance, context: ServerContext): void {
  const validate = (name: string, text: string): Result<string[]> => {
    const parsed = parseTemplates(text, name, context.base.regions);
    return parsed.ok ? { ok: true, value: parsed.value.templates.map((t) => t.id) } : parsed;
  };
  const withIds = (template: StoredTemplate) => {
    const ids = validate(template.name, template.text);
    return { ...template, templateIds: ids.ok ? ids.value : [] };
  };
  const invalid = (errors: LocatedError[]) =>
    apiError("template/invalid", "the templates document does not validate", errors);

  app.get(
    "/api/v1/templates",
    {
      schema: {
        summary: "Stored template documents",
        tags: ["templates"],
        response: {
          200: {
            type: "object",
            required: ["templates"],
            properties: { templates: { type: "array", items: { $ref: "Template#" } } },
          },
        },
      },
    },
    async () => ({ templates: listTemplates(context.db).map(withIds) }),
  );

  app.post<{ Body: { name: string; text: string } }>(
    "/api/v1/templates",
    {
      schema: {
        summary: "Store a template document (validated)",
        tags: ["templates"],
        body: templateBody,
        response: { 201: { $ref: "Template#" }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { name, text } = request.body;
      const ids = validate(name, text);
      if (!ids.ok) return reply.code(400).send(invalid(ids.errors));
      const stored = insertTemplate(context.db, { id: randomBytes(6).toString("hex"), name, text });
      return reply.code(201).send({ ...stored, templateIds: ids.value });
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/templates/:id",
    {
      schema: {
        summary: "One stored template document",
        tags: ["templates"],
        params: idParams,
        response: { 200: { $ref: "Template#" }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const stored = getTemplate(context.db, request.params.id);
      if (!stored) return reply.code(404).send(apiError("template/not-found", `no template ${request.params.id}`));
      return withIds(stored);
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/templates/:id/fees",
    {
      schema: {
        summary: "What each mainland province pays for one unit under each template of a stored document",
        tags: ["templates"],
        params: idParams,
        response: {
          200: {
            type: "object",
            required: ["templates"],
            properties: {
              templates: {
                type: "array",
                items: {
                  type: "object",
                  required: ["id", "name", "regions"],
                  properties: {
                    id: { type: "string" },
                    name: { type: "string" },
                    regions: {
                      type: "array",
                      items: {
                        type: "object",
                        required: ["code", "name", "status", "fee"],
                        properties: {
                          code: { type: "string" },
                          name: { type: "string" },
                          status: { type: "string", enum: ["free", "charged", "undeliverable", "unknown"] },
                          fee: { type: ["number", "null"] },
                        },
                      },
                    },
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
      const stored = getTemplate(context.db, request.params.id);
      if (!stored) return reply.code(404).send(apiError("template/not-found", `no template ${request.params.id}`));
      const parsed = parseTemplates(stored.text, stored.name, context.base.regions);
      if (!parsed.ok) return reply.code(400).send(invalid(parsed.errors));
      const regions = context.base.regions;
      return {
        templates: parsed.value.templates.map((template) => ({
          id: template.id,
          name: template.name ?? template.id,
          regions: regions.mainland.map((code) => {
            const fee = evaluateRegionFee(template, code, { quantity: 1 });
            return { code, name: regions.get(code)?.shortName ?? code, status: fee.status, fee: fee.fee };
          }),
        })),
      };
    },
  );

  app.put<{ Params: { id: string }; Body: { name: string; text: string } }>(
    "/api/v1/templates/:id",
    {
      schema: {
        summary: "Replace a stored template document (validated)",
        tags: ["templates"],
        params: idParams,
        body: templateBody,
        response: { 200: { $ref: "Template#" }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { name, text } = request.body;
      const ids = validate(name, text);
      if (!ids.ok) return reply.code(400).send(invalid(ids.errors));
      if (!updateTemplate(context.db, request.params.id, { name, text }))
        return reply.code(404).send(apiError("template/not-found", `no template ${request.params.id}`));
      return withIds(getTemplate(context.db, request.params.id) as StoredTemplate);
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/api/v1/templates/:id",
    {
      schema: {
        summary: "Delete a stored template document",
        tags: ["templates"],
        params: idParams,
        response: { 204: { type: "null" }, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!deleteTemplate(context.db, request.params.id))
        return reply.code(404).send(apiError("template/not-found", `no template ${request.params.id}`));
      return reply.code(204).send();
    },
  );
}
