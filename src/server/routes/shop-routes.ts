import type { FastifyInstance } from "fastify";
import { errorResponses } from "../api-schemas.js";
import { apiError, type ServerContext } from "../server-context.js";
import { compareRuns } from "../storage/run-queries.js";
import { getRun, listShopRuns } from "../storage/runs-store.js";
import { withQueuePosition } from "./run-routes.js";

export const shopParams = {
  type: "object",
  required: ["shop"],
  properties: { shop: { type: "string", minLength: 1, maxLength: 100 } },
} as const;

/** A shop's history: its runs with counts, and what changed between two of them. */
export function registerShopRoutes(app: FastifyInstance, context: ServerContext): void {
  app.get<{ Params: { shop: string } }>(
    "/api/v1/shops/:shop/runs",
    {
      schema: {
        summary: "A shop's runs, oldest first, with their counts",
        tags: ["history"],
        params: shopParams,
        response: {
          200: { type: "object", required: ["runs"], properties: { runs: { type: "array", items: { $ref: "Run#" } } } },
          ...errorResponses,
        },
      },
    },
    async (request) => ({
      runs: listShopRuns(context.db, request.params.shop).map((run) => withQueuePosition(context, run)),
    }),
  );

  app.get<{ Params: { shop: string }; Querystring: { from: string; to: string; limit?: number } }>(
    "/api/v1/shops/:shop/compare",
    {
      schema: {
        summary: "Findings new, fixed and unchanged from one run to another (the fingerprints of --compare)",
        tags: ["history"],
        params: shopParams,
        querystring: {
          type: "object",
          required: ["from", "to"],
          additionalProperties: false,
          properties: {
            from: { type: "string", pattern: "^[0-9a-f]{16}$" },
            to: { type: "string", pattern: "^[0-9a-f]{16}$" },
            limit: { type: "integer", minimum: 1, maximum: 1000, default: 200 },
          },
        },
        response: {
          200: {
            type: "object",
            required: ["from", "to", "new", "fixed", "unchanged", "counts"],
            properties: {
              from: { type: "string" },
              to: { type: "string" },
              new: { type: "array", items: { $ref: "StoredFinding#" } },
              fixed: { type: "array", items: { $ref: "StoredFinding#" } },
              unchanged: { type: "integer" },
              counts: {
                type: "object",
                required: ["new", "fixed", "unchanged"],
                properties: { new: { type: "integer" }, fixed: { type: "integer" }, unchanged: { type: "integer" } },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { from, to, limit } = request.query;
      for (const id of [from, to]) {
        const run = getRun(context.db, id);
        if (!run || run.shop !== request.params.shop)
          return reply.code(404).send(apiError("runs/not-found", `no run ${id} of shop ${request.params.shop}`));
      }
      return compareRuns(context.db, from, to, limit ?? 200);
    },
  );
}
