import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { FastifyInstance } from "fastify";
import { createServer } from "../../src/server/app.js";
import { loadCheckBase, type CheckBase } from "../../src/server/checker.js";
import type { UploadLimits } from "../../src/server/uploads.js";

let base: CheckBase | undefined;

/** A real server on 127.0.0.1 with a real SQLite file in a temporary data folder. */
export interface ServeHarness {
  origin: string;
  dataDir: string;
  app: FastifyInstance;
  /**
   * A JSON API call over real HTTP; the request body and the response are checked against the server's
   * own /api/openapi.json (a mismatch throws).
   */
  api(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the schema-checked body holds
  body: any;
}

export async function startServe(
  options: { token?: string; webRoot?: string; uploadLimits?: UploadLimits; maxRuns?: number; dataDir?: string } = {},
): Promise<ServeHarness> {
  if (base === undefined) {
    const loaded = await loadCheckBase();
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    base = loaded.value;
  }
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "listing-audit-serve-"));
  const app = await createServer({
    dataDir,
    base,
    webRoot: options.webRoot ?? path.join(dataDir, "no-web-app"),
    ...(options.token ? { token: options.token } : {}),
    ...(options.uploadLimits ? { uploadLimits: options.uploadLimits } : {}),
    ...(options.maxRuns ? { maxRuns: options.maxRuns } : {}),
  });
  const origin = await app.listen({ host: "127.0.0.1", port: 0 });
  const authorization: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const document = (await (await fetch(`${origin}/api/openapi.json`)).json()) as OpenApiDocument;
  const check = createOpenApiChecker(document);

  return {
    origin,
    dataDir,
    app,
    async api(method, url, body, headers = {}) {
      const isForm = body instanceof FormData;
      if (body !== undefined && !isForm) check.request(method, url, body);
      const response = await fetch(`${origin}${url}`, {
        method,
        headers: {
          ...authorization,
          ...(body !== undefined && !isForm ? { "content-type": "application/json" } : {}),
          ...headers,
        },
        ...(body === undefined ? {} : { body: isForm ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      const type = response.headers.get("content-type") ?? "";
      const parsed = type.startsWith("application/json") && text !== "" ? JSON.parse(text) : text;
      check.response(method, url, response.status, type, parsed);
      return { status: response.status, headers: response.headers, body: parsed };
    },
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
}

/** Validates bodies against the OpenAPI 3.1 document (its schemas are JSON Schema 2020-12). */
export function createOpenApiChecker(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat("date-time", true);
  ajv.addFormat("binary", true);
  ajv.addSchema(document, "openapi");
  const pointer = (...parts: string[]) =>
    `openapi#/${parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;
  const operation = (method: string, url: string) => {
    const pathname = new URL(url, "http://x").pathname;
    for (const [template, operations] of Object.entries(document.paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
      if (pattern.test(pathname) && operations[method.toLowerCase()]) return { template, method: method.toLowerCase() };
    }
    throw new Error(`${method} ${pathname} is not in /api/openapi.json`);
  };
  const validate = (ref: string, value: unknown, what: string) => {
    const validator = ajv.getSchema(ref);
    if (!validator) throw new Error(`no schema at ${ref}`);
    if (!validator(value))
      throw new Error(`${what} does not match the OpenAPI document: ${ajv.errorsText(validator.errors)}`);
  };
  return {
    request(method: string, url: string, body: unknown) {
      const op = operation(method, url);
      validate(
        pointer("paths", op.template, op.method, "requestBody", "content", "application/json", "schema"),
        body,
        `${method} ${url} request`,
      );
    },
    response(method: string, url: string, status: number, type: string, body: unknown) {
      const op = operation(method, url);
      const responses = document.paths[op.template]?.[op.method]?.responses ?? {};
      if (!(String(status) in responses))
        throw new Error(`${method} ${url} answered ${status}, which the document does not list`);
      if (!type.startsWith("application/json")) return;
      validate(
        pointer("paths", op.template, op.method, "responses", String(status), "content", "application/json", "schema"),
        body,
        `${method} ${url} ${status} response`,
      );
    },
  };
}

/** A template free everywhere but 新疆 and 西藏 (¥20 first piece): a 全国包邮 title contradicts it. */
export const REMOTE_TEMPLATE = {
  templates: [
    {
      id: "T1",
      name: "偏远地区不包邮",
      payer: "buyer",
      valuation: "piece",
      default: { first: 1, firstFee: 0, next: 1, nextFee: 0 },
      regions: [{ areas: ["新疆", "西藏"], first: 1, firstFee: 20, next: 1, nextFee: 10 }],
    },
  ],
};

/** REMOTE_TEMPLATE as an operator pastes it (JSON is YAML too). */
export const REMOTE_TEMPLATE_TEXT = JSON.stringify(REMOTE_TEMPLATE, null, 2);
