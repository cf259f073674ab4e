import { readFile } from "node:fs/promises";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { audit } from "../../audit.js";
import { fixFile } from "../../fix/fix-file.js";
import { createUndeliverableCheck } from "../../fix/undeliverable-regions.js";
import { loadTemplateFiles } from "../../templates/load-templates.js";
import type { Lang, ListingResult, Platform } from "../../model.js";
import { formatLocatedErrorIn } from "../../util/result.js";
import { errorResponses } from "../api-schemas.js";
import { storedRunAudit } from "../run-executor.js";
import { apiError, type ServerContext } from "../server-context.js";
import { getRun, getRunFiles } from "../storage/runs-store.js";
import { runFolder, runNotFound, runParams } from "./run-routes.js";

/**
 * `GET /api/v1/runs/{id}/fixed?file=`: an uploaded export with the text fixes of `--fix` made in it, in its
 * own format (the same planner and writers). The stored file is audited again, so the fixes are planned on
 * the very text that is rewritten; the stored upload itself is never changed.
 */
export function registerFixedExportRoute(app: FastifyInstance, context: ServerContext): void {
  app.get<{ Params: { id: string }; Querystring: { file: string } }>(
    "/api/v1/runs/:id/fixed",
    {
      schema: {
        summary: "An uploaded export with the run's text fixes made in it, in its own format",
        tags: ["runs"],
        params: runParams,
        querystring: {
          type: "object",
          required: ["file"],
          additionalProperties: false,
          properties: { file: { type: "string", minLength: 1, description: "the export's name as uploaded" } },
        },
        response: {
          200: {
            description: "the corrected file, byte for byte as its writer made it",
            content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const run = getRun(context.db, request.params.id);
      const files = getRunFiles(context.db, request.params.id);
      if (!run || !files) return reply.code(404).send(runNotFound(request.params.id));
      const upload = files.find((f) => f.kind === "export" && f.name === request.query.file);
      if (!upload)
        return reply
          .code(404)
          .send(apiError("runs/no-such-export", `run ${run.id} has no uploaded export named ${request.query.file}`));
      const dir = runFolder(context.dataDir, run.id);
      const lang = run.lang as Lang;
      const templates = files.filter((f) => f.kind === "template").map((f) => path.join(dir, f.stored));
      const results: ListingResult[] = [];
      const outcome = await audit({
        ...storedRunAudit({ dir, files, platform: run.platform as Platform, lang, settings: run.settings }),
        inputs: [path.join(dir, upload.stored)],
        outputs: [],
        onResult: (result) => {
          if (result.findings.length > 0) results.push(result);
        },
      });
      if (!outcome.ok)
        return reply.code(400).send(
          apiError(
            "fix/not-audited",
            `${upload.name} could not be audited again`,
            outcome.errors.map((e) => ({ ...e, message: formatLocatedErrorIn(e, lang) })),
          ),
        );
      const bytes = await readFile(path.join(dir, upload.stored));
      const fixContext = context.base.fixes[lang];
      // The audit above reported any fault of the templates; without them every region counts as delivered.
      const loaded = await loadTemplateFiles(templates, fixContext.wording.regions, dir);
      const undeliverable = createUndeliverableCheck(
        loaded.ok ? loaded.value.templates : new Map(),
        fixContext.wording.regions,
      );
      const fixed = fixFile(upload.stored, bytes, results, fixContext, { lang, undeliverable });
      if (!fixed.outcome)
        return reply
          .code(400)
          .send(apiError("fix/format-not-writable", `${upload.name}: this format cannot be written back`));
      const extension = path.extname(upload.name);
      const name = `${path.basename(upload.name, extension)}.fixed${extension}`;
      return reply
        .header("content-type", "application/octet-stream")
        .header(
          "content-disposition",
          `attachment; filename="fixed${extension}"; filename*=UTF-8''${encodeURIComponent(name)}`,
        )
        .header("x-fixed-findings", String(fixed.fixed))
        .header("x-refused-findings", String(fixed.refused.length))
        .send(fixed.outcome.data);
    },
  );
}
