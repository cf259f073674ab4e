import type { FastifyInstance } from "fastify";
import { errorResponses } from "../api-schemas.js";
import { apiError, type ServerContext } from "../server-context.js";
import { validateShopSettings } from "../shop-settings.js";
import { getShopSettings, putShopSettings } from "../storage/shop-settings-store.js";
import { shopParams } from "./shop-routes.js";

const settingsAnswer = {
  type: "object",
  required: ["shop", "settings", "updatedAt"],
  properties: {
    shop: { type: "string" },
    settings: { $ref: "ShopSettings#" },
    updatedAt: { type: ["string", "null"], format: "date-time", description: "null: never set" },
  },
} as const;

/** A shop's settings: what its runs and checks apply unless the request says otherwise. */
export function registerShopSettingsRoutes(app: FastifyInstance, context: ServerContext): void {
  app.get<{ Params: { shop: string } }>(
    "/api/v1/shops/:shop/settings",
    {
      schema: {
        summary: "A shop's settings ({} until they are set)",
        tags: ["shops"],
        params: shopParams,
        response: { 200: settingsAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const stored = getShopSettings(context.db, request.params.shop);
      return { shop: request.params.shop, settings: stored?.settings ?? {}, updatedAt: stored?.updatedAt ?? null };
    },
  );

  app.put<{ Params: { shop: string }; Body: unknown }>(
    "/api/v1/shops/:shop/settings",
    {
      schema: {
        summary: "Replace a shop's settings (validated as the config file is: every mistake at its key)",
        tags: ["shops"],
        params: shopParams,
        body: { $ref: "ShopSettings#" },
        response: { 200: settingsAnswer, ...errorResponses },
      },
      // The config's own zod schema validates the body below, with the config's located messages; the
      // shop name is checked there too.
      validatorCompiler: () => () => true,
    },
    async (request, reply) => {
      if (request.params.shop.length > shopParams.properties.shop.maxLength)
        return reply
          .code(400)
          .send(
            apiError("request/invalid", "the shop name is too long", [
              { file: "request", key: "params.shop", message: "a shop name of 1 to 100 characters" },
            ]),
          );
      const valid = await validateShopSettings(request.body, context.db);
      if (!valid.ok)
        return reply
          .code(400)
          .send(apiError("shop-settings/invalid", "the shop's settings do not validate", valid.errors));
      const stored = putShopSettings(context.db, request.params.shop, valid.value);
      return { shop: request.params.shop, ...stored };
    },
  );
}
