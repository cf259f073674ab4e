import type { FastifyInstance } from "fastify";
import { describeRules } from "../../engine/engine.js";
import { PLATFORMS, type Lang, type Platform } from "../../model.js";
import type { ServerContext } from "../server-context.js";

/** The rules with their titles in the asked language: the web app's filters and rule pages use them. */
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
}
