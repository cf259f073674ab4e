import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import type { FastifyInstance } from "fastify";
import { audit } from "../../audit.js";
import { PLATFORMS, SEVERITIES, type Lang, type Platform, type Severity } from "../../model.js";
import { FORMAT_NAMES, reporters, type FormatName } from "../../report/index.js";
import { writeFileAtomic } from "../../util/atomic-file.js";
import { formatLocatedErrorIn, type Result } from "../../util/result.js";
import { errorResponses } from "../api-schemas.js";
import { enqueueRun, storedRunAudit, type RunEvent } from "../run-executor.js";
import { apiError, type ServerContext } from "../server-context.js";
import { type AppliedShopSettings, applyShopSettings, shopTemplates } from "../shop-settings.js";
import {
  queryFacets,
  queryFindings,
  queryListings,
  queryProblems,
  type FindingFilter,
} from "../storage/run-queries.js";
import { getRun, getRunFiles, insertRun, type RunSummary, type StoredFile } from "../storage/runs-store.js";
import { getShopSettings } from "../storage/shop-settings-store.js";
import { receiveUpload, UploadError } from "../uploads.js";

/** Generated run ids: 16 hex digits, also the name of the run's folder under the data folder. */
const RUN_ID = "^[0-9a-f]{16}$";
export const runParams = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", pattern: RUN_ID } },
} as const;

const facet = {
  type: "object",
  required: ["id", "count"],
  properties: { id: { type: "string" }, name: { type: "string" }, count: { type: "integer" } },
} as const;

const REPORT_TYPES: Record<FormatName, string> = {
  text: "text/plain; charset=utf-8",
  json: "application/json",
  sarif: "application/sarif+json",
  junit: "application/xml",
  github: "text/plain; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  markdown: "text/markdown; charset=utf-8",
  html: "text/html; charset=utf-8",
};

/** The text search and the cursor paging the findings and listings pages share. */
const pageQuery = {
  q: { type: "string", maxLength: 200 },
  cursor: { type: "string", pattern: "^[0-9]{1,15}$" },
  limit: { type: "integer", minimum: 1, maximum: 500, default: 50 },
} as const;

/** The answer for a run id the data folder does not hold. */
export function runNotFound(id: string) {
  return apiError("runs/not-found", `no run ${id}`);
}
const REPORT_EXTENSIONS: Record<FormatName, string> = {
  text: "txt",
  json: "json",
  sarif: "sarif",
  junit: "xml",
  github: "txt",
  csv: "csv",
  markdown: "md",
  html: "html",
};

export function runFolder(dataDir: string, id: string): string {
  return path.join(dataDir, "runs", id);
}

/** A run as the API shows it: a waiting run also tells its place in the queue. */
export function withQueuePosition(context: ServerContext, run: RunSummary): RunSummary & { queuePosition?: number } {
  const position = run.status === "queued" ? context.runs.position(run.id) : undefined;
  return position === undefined ? run : { ...run, queuePosition: position };
}

/**
 * Copies the shop's stored template documents into the run's folder, so the run (its report, its
 * corrected export) keeps reading the templates it was audited with after the documents change.
 */
async function storeShopTemplates(
  context: ServerContext,
  dir: string,
  settings: AppliedShopSettings,
): Promise<Result<StoredFile[]>> {
  const documents = shopTemplates(context.db, settings);
  if (!documents.ok) return documents;
  const files: StoredFile[] = [];
  for (const [i, document] of documents.value.entries()) {
    const stored = `template-shop-${i + 1}-${randomBytes(4).toString("hex")}.yaml`;
    await writeFileAtomic(path.join(dir, stored), document.text);
    files.push({ name: document.name, stored, kind: "template" });
  }
  return { ok: true, value: files };
}

export function registerRunRoutes(app: FastifyInstance, context: ServerContext): void {
  app.post(
    "/api/v1/runs",
    {
      schema: {
        summary: "Start a shop audit from uploaded exports and template files",
        tags: ["runs"],
        consumes: ["multipart/form-data"],
        body: {
          type: "object",
          required: ["shop", "exports"],
          properties: {
            shop: { type: "string", maxLength: 100 },
            platform: { type: "string", enum: [...PLATFORMS] },
            lang: { type: "string", enum: ["zh", "en"] },
            exports: { type: "array", items: { type: "string", format: "binary" } },
            templates: { type: "array", items: { type: "string", format: "binary" } },
          },
        },
        response: {
          202: { type: "object", required: ["id"], properties: { id: { type: "string" } } },
          413: { $ref: "Error#" },
          ...errorResponses,
        },
      },
      // The body is a stream read by receiveUpload; the schema above documents it.
      validatorCompiler: () => () => true,
    },
    async (request, reply) => {
      if (!request.isMultipart())
        return reply.code(400).send(apiError("upload/not-multipart", "send multipart/form-data"));
      const id = randomBytes(8).toString("hex");
      const dir = runFolder(context.dataDir, id);
      let upload: Awaited<ReturnType<typeof receiveUpload>>;
      try {
        upload = await receiveUpload(request, dir, context.uploadLimits);
      } catch (error) {
        if (error instanceof UploadError) {
          const status = error.code === "upload/too-large" ? 413 : 400;
          return reply
            .code(status)
            .send(apiError(error.code, error.message, [{ file: "request", key: error.key, message: error.message }]));
        }
        throw error;
      }
      const shop = (upload.fields.shop ?? "").trim();
      const problems = [
        ...(shop === "" || shop.length > 100 ? [["shop", "a shop name of 1 to 100 characters is required"]] : []),
        ...(upload.fields.platform === undefined || (PLATFORMS as readonly string[]).includes(upload.fields.platform)
          ? []
          : [["platform", `one of ${PLATFORMS.join(", ")}`]]),
        ...(upload.fields.lang === undefined || upload.fields.lang === "zh" || upload.fields.lang === "en"
          ? []
          : [["lang", "zh or en"]]),
        ...(upload.files.some((f) => f.kind === "export") ? [] : [["exports", "at least one listing export"]]),
      ];
      if (problems.length > 0) {
        await rm(dir, { recursive: true, force: true });
        return reply.code(400).send(
          apiError(
            "runs/invalid",
            "the upload is incomplete",
            problems.map(([key, message]) => ({ file: "request", key, message })),
          ),
        );
      }
      const uploadedTemplates = upload.files.some((f) => f.kind === "template");
      const settings =
        applyShopSettings(getShopSettings(context.db, shop)?.settings, {
          platform: upload.fields.platform as Platform | undefined,
          templates: uploadedTemplates,
        }) ?? null;
      const copied = settings ? await storeShopTemplates(context, dir, settings) : { ok: true as const, value: [] };
      if (!copied.ok) {
        await rm(dir, { recursive: true, force: true });
        return reply
          .code(400)
          .send(apiError("runs/shop-settings", "the shop's settings cannot be applied", copied.errors));
      }
      const platform = upload.fields.platform ?? settings?.platform ?? "taobao";
      const lang = upload.fields.lang ?? "zh";
      const files = [...upload.files, ...copied.value];
      insertRun(context.db, { id, shop, platform, lang, files, settings });
      enqueueRun(context, id, dir);
      return reply.code(202).send({ id });
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/runs/:id",
    {
      schema: {
        summary: "A run's summary",
        tags: ["runs"],
        params: runParams,
        response: {
          200: {
            type: "object",
            required: ["run", "problems"],
            properties: {
              run: { $ref: "Run#" },
              problems: { type: "array", items: { $ref: "Problem#" }, description: "the first 100 input problems" },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const run = getRun(context.db, request.params.id);
      if (!run) return reply.code(404).send(runNotFound(request.params.id));
      return { run: withQueuePosition(context, run), problems: queryProblems(context.db, run.id, 100) };
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/runs/:id/events",
    {
      schema: {
        summary:
          "A run's progress as server-sent events: queued (its place) while it waits, progress while it runs, then done",
        tags: ["runs"],
        params: runParams,
        produces: ["text/event-stream"],
        response: { 200: { type: "string" }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const run = getRun(context.db, request.params.id);
      if (!run) return reply.code(404).send(runNotFound(request.params.id));
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        connection: "keep-alive",
      });
      const send = (event: RunEvent) => raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      const finish = (last: RunEvent) => {
        send(last);
        raw.end();
      };
      if (run.status === "done" || run.status === "failed") return finish({ type: "done", status: run.status });
      const unsubscribe = context.events.subscribe(run.id, (event) => {
        if (event.type === "done" || event.type === "stopped") {
          unsubscribe();
          finish(event);
        } else send(event);
      });
      const last = context.events.last(run.id);
      if (last) send(last);
      request.raw.on("close", unsubscribe);
      // The run may have ended between reading it and subscribing.
      const now = getRun(context.db, run.id);
      if (now && (now.status === "done" || now.status === "failed")) {
        unsubscribe();
        finish({ type: "done", status: now.status });
      }
    },
  );

  app.get<{
    Params: { id: string };
    Querystring: FindingFilter & { severity?: Severity[]; cursor?: string; limit?: number };
  }>(
    "/api/v1/runs/:id/findings",
    {
      schema: {
        summary: "A run's findings, filtered, in pages",
        tags: ["runs"],
        params: runParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            severity: { type: "array", items: { type: "string", enum: [...SEVERITIES] } },
            rule: { type: "string" },
            region: { type: "string" },
            listing: { type: "string" },
            status: { type: "string", enum: ["new", "known"] },
            ...pageQuery,
          },
        },
        response: {
          200: {
            type: "object",
            required: ["items", "next"],
            properties: {
              items: { type: "array", items: { $ref: "StoredFinding#" } },
              next: { type: ["string", "null"] },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      if (!getRun(context.db, request.params.id)) return reply.code(404).send(runNotFound(request.params.id));
      const { cursor, limit, ...filter } = request.query;
      return queryFindings(context.db, request.params.id, filter, Number(cursor ?? 0), limit ?? 50);
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/runs/:id/facets",
    {
      schema: {
        summary: "The rules and regions a run's findings name, with counts (the web app's filter choices)",
        tags: ["runs"],
        params: runParams,
        response: {
          200: {
            type: "object",
            required: ["rules", "regions"],
            properties: {
              rules: { type: "array", items: facet },
              regions: { type: "array", items: facet },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      if (!getRun(context.db, request.params.id)) return reply.code(404).send(runNotFound(request.params.id));
      const facets = queryFacets(context.db, request.params.id);
      return {
        rules: facets.rules,
        regions: facets.regions.map((r) => ({ ...r, name: context.base.regions.get(r.id)?.shortName ?? r.id })),
      };
    },
  );

  app.get<{
    Params: { id: string };
    Querystring: { sort?: "severity" | "input"; passed?: boolean; q?: string; cursor?: string; limit?: number };
  }>(
    "/api/v1/runs/:id/listings",
    {
      schema: {
        summary: "One row per listing with its counts",
        tags: ["runs"],
        params: runParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            sort: { type: "string", enum: ["severity", "input"], default: "severity" },
            passed: { type: "boolean", description: "true: only listings without findings; false: only with" },
            ...pageQuery,
          },
        },
        response: {
          200: {
            type: "object",
            required: ["items", "next"],
            properties: {
              items: {
                type: "array",
                items: {
                  type: "object",
                  required: ["seq", "listingId", "title", "file", "row", "error", "warning", "info"],
                  properties: {
                    seq: { type: "integer" },
                    listingId: { type: "string" },
                    title: { type: "string" },
                    file: { type: ["string", "null"] },
                    row: { type: ["integer", "null"] },
                    error: { type: "integer" },
                    warning: { type: "integer" },
                    info: { type: "integer" },
                  },
                },
              },
              next: { type: ["string", "null"] },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      if (!getRun(context.db, request.params.id)) return reply.code(404).send(runNotFound(request.params.id));
      const { sort, passed, q, cursor, limit } = request.query;
      return queryListings(
        context.db,
        request.params.id,
        { sort: sort ?? "severity", ...(passed === undefined ? {} : { passed }), ...(q === undefined ? {} : { q }) },
        Number(cursor ?? 0),
        limit ?? 50,
      );
    },
  );

  app.get<{ Params: { id: string }; Querystring: { format: FormatName } }>(
    "/api/v1/runs/:id/report",
    {
      schema: {
        summary: "The run's report in any format, streamed (the stored files audited again by the same reporters)",
        tags: ["runs"],
        params: runParams,
        querystring: {
          type: "object",
          required: ["format"],
          additionalProperties: false,
          properties: { format: { type: "string", enum: [...FORMAT_NAMES] } },
        },
        produces: Object.values(REPORT_TYPES),
        response: { 200: { type: "string" }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const run = getRun(context.db, request.params.id);
      const files = getRunFiles(context.db, request.params.id);
      if (!run || !files) return reply.code(404).send(runNotFound(request.params.id));
      const format = request.query.format;
      const stream = new PassThrough();
      void audit({
        ...storedRunAudit({
          dir: runFolder(context.dataDir, run.id),
          files,
          platform: run.platform as Platform,
          lang: run.lang as Lang,
          settings: run.settings,
        }),
        outputs: [{ reporter: reporters[format](), stream }],
      }).then(
        (outcome) => {
          if (!outcome.ok)
            stream.destroy(new Error(outcome.errors.map((e) => formatLocatedErrorIn(e, "en")).join("\n")));
          else stream.end();
        },
        (error: Error) => stream.destroy(error),
      );
      return reply
        .header("content-type", REPORT_TYPES[format])
        .header("content-disposition", `attachment; filename="run-${run.id}.${REPORT_EXTENSIONS[format]}"`)
        .send(stream);
    },
  );
}
