import { existsSync } from "node:fs";
import path from "node:path";
import multipart from "@fastify/multipart";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import { readToolInfo } from "../audit.js";
import { PACKAGE_ROOT } from "../util/package-root.js";
import { SHARED_SCHEMAS } from "./api-schemas.js";
import { createChecker, type CheckBase } from "./checker.js";
import { enqueueRun, interruptedReason, RunEvents } from "./run-executor.js";
import { defaultMaxRuns, RunQueue } from "./run-queue.js";
import { registerCheckRoutes } from "./routes/check-routes.js";
import { registerFixedExportRoute } from "./routes/fixed-export-route.js";
import { registerRuleRoutes } from "./routes/rule-routes.js";
import { registerRunRoutes, runFolder } from "./routes/run-routes.js";
import { registerShopRoutes } from "./routes/shop-routes.js";
import { registerShopSettingsRoutes } from "./routes/shop-settings-routes.js";
import { registerTemplateRoutes } from "./routes/template-routes.js";
import { registerSecurity } from "./security.js";
import { apiError, type ServerContext } from "./server-context.js";
import { openDatabase } from "./storage/database.js";
import { failRun, listUnfinishedRuns } from "./storage/runs-store.js";
import { UPLOAD_LIMITS, type UploadLimits } from "./uploads.js";

/** The built web app (`npm run build` puts it there; it ships in the package). */
export const WEB_ROOT = path.join(PACKAGE_ROOT, "dist", "web");

export interface ServerOptions {
  /** The data folder: the SQLite database and the uploaded files live under it. */
  dataDir: string;
  /** Required on every API call when set (`Authorization: Bearer <token>`). */
  token?: string;
  base: CheckBase;
  /** The built web app; default WEB_ROOT. A folder that does not exist serves the API alone. */
  webRoot?: string;
  /** Default UPLOAD_LIMITS. */
  uploadLimits?: UploadLimits;
  /** Runs at once (`serve --max-runs`); later ones wait in a queue. Default defaultMaxRuns(). */
  maxRuns?: number;
}

/** JSON bodies above this are refused (413): a listing with its templates is far smaller. */
const BODY_LIMIT = 2 * 1024 * 1024;

/**
 * Builds the server: the API under /api/v1 (validated by the route schemas, documented at
 * /api/openapi.json from the same schemas) and the web app. Not yet listening.
 */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    // A request that has not arrived whole in this time is dropped; runs go on after their upload.
    requestTimeout: 120_000,
    connectionTimeout: 130_000,
    logger: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: "array", allErrors: true } },
  });
  const db = openDatabase(options.dataDir);
  const events = new RunEvents();
  const context: ServerContext = {
    db,
    dataDir: path.resolve(options.dataDir),
    base: options.base,
    check: createChecker(options.base),
    events,
    uploadLimits: options.uploadLimits ?? UPLOAD_LIMITS,
    runs: new RunQueue(options.maxRuns ?? defaultMaxRuns(), (id, position) =>
      events.emit(id, { type: "queued", position }),
    ),
  };
  resumeUnfinishedRuns(context);
  app.addHook("onClose", async () => {
    // Waiting runs stay queued in the database and start when a server opens the folder again.
    for (const id of context.runs.close()) events.emit(id, { type: "stopped" });
    await context.runs.settled();
    db.close();
  });

  registerSecurity(app, options.token);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "listing-auditor",
        version: readToolInfo().version,
        description: "Checks listings' free-shipping and invoice claims against their shipping templates.",
      },
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      },
      ...(options.token ? { security: [{ bearer: [] }] } : {}),
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(multipart, { limits: context.uploadLimits, throwFileSizeLimit: false });

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error.validation) {
      const errors = error.validation.map((issue) => ({
        file: "request",
        key: `${error.validationContext ?? "body"}${issue.instancePath.replaceAll("/", ".")}`,
        message: issue.message ?? "invalid",
      }));
      return reply.code(400).send(apiError("request/invalid", error.message, errors));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500)
      return reply.code(status).send(apiError(error.code ?? "request/invalid", error.message));
    reply.log.error(error);
    return reply.code(500).send(apiError("internal", "internal error"));
  });

  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  registerCheckRoutes(app, context);
  registerRunRoutes(app, context);
  registerFixedExportRoute(app, context);
  registerShopRoutes(app, context);
  registerShopSettingsRoutes(app, context);
  registerTemplateRoutes(app, context);
  registerRuleRoutes(app, context);

  const webRoot = options.webRoot ?? WEB_ROOT;
  if (existsSync(webRoot)) {
    await app.register(fastifyStatic, { root: webRoot, prefix: "/", index: ["index.html"] });
    // The app's own paths (/shop, /history …) are routes of the web app: they get its page.
    app.setNotFoundHandler((request, reply) => {
      if (request.method === "GET" && !request.url.startsWith("/api/")) return reply.sendFile("index.html");
      return reply.code(404).send(apiError("not-found", `no route ${request.method} ${request.url.split("?")[0]}`));
    });
  } else {
    app.setNotFoundHandler((request, reply) =>
      reply.code(404).send(apiError("not-found", `no route ${request.method} ${request.url.split("?")[0]}`)),
    );
  }
  return app;
}

/**
 * Runs a previous server left behind: those it was running (it stopped mid-way) are failed with that
 * reason, keeping what they had audited; those still waiting are queued again in their upload order.
 */
function resumeUnfinishedRuns(context: ServerContext): void {
  for (const run of listUnfinishedRuns(context.db)) {
    if (run.status === "running") failRun(context.db, run.id, interruptedReason(run.lang === "en" ? "en" : "zh"));
    else enqueueRun(context, run.id, runFolder(context.dataDir, run.id));
  }
}
