import path from "node:path";
import { z } from "zod";
import {
  checkRuleIds,
  configSchema,
  describeUnknownKey,
  loadConfiguredRegions,
  type LoadedConfig,
} from "../config/index.js";
import type { Platform } from "../model.js";
import { bilingual, formatKeyPath, type LocatedError, type Result } from "../util/result.js";
import { errorAt, locateIssue, type LocatedDocument } from "../util/yaml-document.js";
import type { Db } from "./storage/database.js";
import { getTemplate, type StoredTemplate } from "./storage/templates-store.js";

/** A stored template document's id (template-routes.ts makes them). */
export const STORED_TEMPLATE_ID = /^[0-9a-f]{12}$/;
const MAX_SHOP_TEMPLATES = 20;

const configKeys = configSchema.shape;

/**
 * What a shop sets once instead of on every upload: its platform, its stored template documents, and the
 * config keys that describe the shop itself — rule severities, the 偏远地区 set, what is known to be fine.
 * Those keys are the config file's own zod schemas, so a shop's settings mean what the same lines mean in
 * listing-audit.config.yaml. Keys about a machine or a report (template paths, formats, failOn, docs,
 * columns, extractors) have no place on a server.
 */
export const shopSettingsSchema = z.strictObject({
  platform: configKeys.platform,
  templateIds: z
    .array(z.string().regex(STORED_TEMPLATE_ID, "a stored template document's id (12 hex digits)"))
    .max(MAX_SHOP_TEMPLATES)
    .optional()
    .describe("Stored template documents used when a run or a check brings no templates"),
  rules: configKeys.rules,
  remoteRegions: configKeys.remoteRegions,
  allow: configKeys.allow,
});

export type ShopSettings = z.output<typeof shopSettingsSchema>;

/** The shop settings a run or check used: the shop's, less the keys the request itself gave. */
export type AppliedShopSettings = ShopSettings;

/**
 * The settings as the API documents them (PUT bodies, GET answers, a run's `settings`), derived from the
 * zod schema that validates them, as schemas/config.schema.json is from the config's.
 */
export const shopSettingsJsonSchema: Record<string, unknown> = (() => {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(shopSettingsSchema, { io: "input" });
  return { $id: "ShopSettings", ...schema };
})();

/**
 * Validates a PUT body as the config file is validated: every mistake at once, each at its key under
 * `body` (unknown keys with the nearest known one, unknown rule ids, unknown regions, missing templates).
 */
export async function validateShopSettings(body: unknown, db: Db): Promise<Result<ShopSettings>> {
  const doc: LocatedDocument = { file: "request", value: body, lineOf: () => undefined };
  const at = (keyPath: readonly PropertyKey[], message: string | { message: string; zh: string }) =>
    errorAt(doc, ["body", ...keyPath], message);
  const parsed = shopSettingsSchema.safeParse(body);
  const errors: LocatedError[] = parsed.success
    ? []
    : parsed.error.issues.flatMap((issue) =>
        issue.code === "unrecognized_keys"
          ? issue.keys.map((key) =>
              at([...issue.path, key], describeUnknownKey(key, issue.path, Object.keys(shopSettingsSchema.shape))),
            )
          : [locateIssue(doc, issue, ["body"])],
      );
  errors.push(...checkRuleIds(body, at));
  if (!parsed.success) return { ok: false, errors };
  parsed.data.templateIds?.forEach((id, i, ids) => {
    if (ids.indexOf(id) < i)
      errors.push(at(["templateIds", i], bilingual(`模板 ${id} 重复了`, `template ${id} is named twice`)));
    else if (!getTemplate(db, id))
      errors.push(at(["templateIds", i], bilingual(`没有 id 为 ${id} 的已存模板`, `no stored template ${id}`)));
  });
  const regions = await loadConfiguredRegions(shopConfig(parsed.data, "", at));
  if (!regions.ok) errors.push(...regions.errors);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: parsed.data };
}

/**
 * The shop settings a request applies: each key the request gives itself (platform, templates) wins and
 * is left out. Undefined when the shop has no settings.
 */
export function applyShopSettings(
  settings: ShopSettings | undefined,
  request: { platform?: Platform | undefined; templates: boolean },
): AppliedShopSettings | undefined {
  if (settings === undefined) return undefined;
  const { platform, templateIds, ...rest } = settings;
  return {
    ...(platform === undefined || request.platform !== undefined ? {} : { platform }),
    ...(templateIds === undefined || request.templates ? {} : { templateIds }),
    ...rest,
  };
}

/**
 * Applied settings as the config `audit()` and the checker take: its rules, regions and allowlist, with
 * errors named after the settings' keys. `folder` anchors the config (its .listingauditignore lookup).
 */
export function shopConfig(
  settings: AppliedShopSettings,
  folder: string,
  at: LoadedConfig["errorAt"] = (keyPath, message) => ({
    file: "shop settings",
    key: formatKeyPath([...keyPath]),
    ...(typeof message === "string" ? { message } : message),
  }),
): LoadedConfig {
  const { rules, remoteRegions, allow } = settings;
  return {
    path: path.join(folder, "shop-settings.json"),
    file: "shop settings",
    values: {
      ...(rules === undefined ? {} : { rules }),
      ...(remoteRegions === undefined ? {} : { remoteRegions }),
      ...(allow === undefined ? {} : { allow }),
    },
    presets: [],
    errorAt: at,
  };
}

/** The stored documents the applied settings name; one deleted since the settings were saved is an error at its key. */
export function shopTemplates(db: Db, settings: AppliedShopSettings): Result<StoredTemplate[]> {
  const ids = settings.templateIds ?? [];
  const documents = ids.map((id) => getTemplate(db, id));
  const errors = ids.flatMap((id, i): LocatedError[] =>
    documents[i]
      ? []
      : [
          {
            file: "shop settings",
            key: `templateIds[${i}]`,
            ...bilingual(
              `店铺设置里的模板 ${id} 已被删除：请在店铺设置里改选模板，或随请求附上模板`,
              `the shop's settings name template ${id}, which was deleted: choose others in the shop's settings, or send templates with the request`,
            ),
          },
        ],
  );
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: documents.filter((d) => d !== undefined) };
}
