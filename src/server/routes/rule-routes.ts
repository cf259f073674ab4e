import type { FastifyInstance } from "fastify";
import { describeRules } from "../../engine/engine.js";
import { PLATFORMS, type Lang, type Platform } from "../../model.js";
import { formatLocatedError } from "../../util/result.js";
import { errorResponses } from "../api-schemas.js";
import { loadRulePage } from "../rule-pages.js";
import { apiError, type ServerContext } from "../server-context.js";

/** The rules with their titles in the asked language, and each rule's page: the web app's filters and rule pages use them. */
export function registerRuleRoutes(app: FastifyInstance, context: ServerContext): void {
  app.get<{ Querystring: { platform?: Platform; lang?: Lang } }>(
    "/api/v1/rules",
    {
      schema: {
        summary: "The rules: id, title, severity on the platform, docs link",
        tags: ["rules"],
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            platform: { type: "string", enum: [...PLATFORMS] },
            lang: { type: "string", enum: ["zh", "en"] },
          },
        },
        response: {
          200: {
            type: "object",
            required: ["rules"],
            properties: {
              rules: {
                type: "array",
                items: {
                  type: "object",
                  required: ["id", "severity", "title"],
                  properties: {
                    id: { type: "string" },
                    severity: { type: "string" },
                    title: { type: "string" },
                    description: { type: "string" },
                    docsUrl: { type: "string" },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request) => ({
      rules: describeRules(context.base.packs, request.query.platform ?? "taobao", request.query.lang ?? "zh"),
    }),
  );

  app.get<{ Params: { id: string }; Querystring: { lang?: Lang } }>(
    "/api/v1/rules/:id/page",
    {
      schema: {
        summary: "A rule's docs page (docs/rules/<name>.zh.md or .md) as HTML, raw HTML in the page disabled",
        tags: ["rules"],
        params: {
          type: "object",
          required: ["id"],
          properties: {
            id: { type: "string", description: "the rule id, its slash encoded: shipping%2Fclaim-charged-region" },
          },
        },
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { lang: { type: "string", enum: ["zh", "en"] } },
        },
        response: {
          200: {
            type: "object",
            required: ["id", "lang", "source", "html"],
            additionalProperties: false,
            properties: {
              id: { type: "string" },
              lang: { type: "string", enum: ["zh", "en"] },
              source: { type: "string", description: "the docs file rendered, relative to the package" },
              html: { type: "string" },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const loaded = await loadRulePage(request.params.id, request.query.lang ?? "zh");
      if (loaded.ok) return loaded.page;
      return reply.code(404).send(apiError(loaded.code, formatLocatedError(loaded.error), [loaded.error]));
    },
  );
}
