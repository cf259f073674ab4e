import { readdirSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run, type CliIo } from "../src/cli.js";
import { CONTENT_SECURITY_POLICY } from "../src/server/security.js";
import { PAYLOADS } from "./fixtures/xss-payloads.js";
import { startServe, type ServeHarness } from "./helpers/serve-harness.js";

const TOKEN = "a-test-token-of-32-characters-00";

function cliIo(env: Record<string, string> = {}) {
  const stderr = new PassThrough();
  let text = "";
  stderr.on("data", (chunk) => {
    text += String(chunk);
  });
  const io: CliIo = {
    stdout: new PassThrough(),
    stderr,
    stdin: new PassThrough(),
    cwd: process.cwd(),
    env,
    isTTY: false,
  };
  return { io, stderr: () => text };
}

describe("serve refuses to start without a token on a non-loopback address", () => {
  it.each([
    [["serve", "--host", "0.0.0.0"], "0.0.0.0"],
    [["serve", "--host", "::"], "::"],
  ])("%j", async (argv, host) => {
    const { io, stderr } = cliIo();
    expect(await run(argv, io)).toBe(2);
    expect(stderr()).toContain(`绑定到 ${host} 时必须设置令牌`);
  });

  it("refuses serve's options on another command", async () => {
    const { io, stderr } = cliIo();
    expect(await run(["samples/listings.json", "--port", "80"], io)).toBe(2);
    expect(stderr()).toContain("只用于 serve");
  });

  it("refuses a short token, a bad port and a bad run limit", async () => {
    const short = cliIo();
    expect(await run(["serve", "--token", "short"], short.io)).toBe(2);
    const port = cliIo();
    expect(await run(["serve", "--port", "70000", "--lang", "en"], port.io)).toBe(2);
    expect(port.stderr()).toContain("--port must be a whole number from 0 to 65535");
    for (const maxRuns of ["0", "65", "two"]) {
      const runs = cliIo();
      expect(await run(["serve", "--max-runs", maxRuns], runs.io)).toBe(2);
      expect(runs.stderr()).toContain(`--max-runs 须是 1 到 64 的整数（写的是 "${maxRuns}"）`);
    }
  });
});

describe("with a token", () => {
  let serve: ServeHarness;
  beforeAll(async () => {
    serve = await startServe({ token: TOKEN });
  }, 60_000);
  afterAll(async () => serve?.close());

  it.each([
    ["no header", {}],
    ["a wrong token", { authorization: "Bearer a-test-token-of-32-characters-01" }],
    ["the token as a cookie", { cookie: `token=${TOKEN}` }],
    ["a basic header", { authorization: `Basic ${TOKEN}` }],
  ])("refuses an API call with %s", async (_name, headers) => {
    const res = await fetch(`${serve.origin}/api/v1/templates`, { headers });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  });

  it("answers with the token, and sets no cookie", async () => {
    const res = await serve.api("GET", "/api/v1/templates");
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});

describe("uploads, bodies and headers", () => {
  let serve: ServeHarness;
  beforeAll(async () => {
    serve = await startServe({ uploadLimits: { fileSize: 1024, files: 3, fields: 5, fieldSize: 200 } });
  }, 60_000);
  afterAll(async () => serve?.close());

  const form = (files: [string, string, string][]) => {
    const data = new FormData();
    data.set("shop", "店");
    for (const [field, name, text] of files) data.append(field, new Blob([text]), name);
    return data;
  };
  const runFolders = () => {
    try {
      return readdirSync(path.join(serve.dataDir, "runs"));
    } catch {
      return [];
    }
  };

  it("stores an upload named with a path under a generated name inside its run folder", async () => {
    const listing = JSON.stringify([{ id: "1", title: "包邮" }]);
    const res = await serve.api(
      "POST",
      "/api/v1/runs",
      form([["exports", "../../../../tmp/evil\u0007.json", listing]]),
    );
    expect(res.status).toBe(202);
    const stored = readdirSync(path.join(serve.dataDir, "runs", res.body.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^export-1-[0-9a-f]{8}\.json$/);
    const summary = await serve.api("GET", `/api/v1/runs/${res.body.id}`);
    expect(summary.body.run.files).toEqual([{ name: "evil.json", kind: "export" }]);
  });

  it.each([
    ["a file over the size limit", [["exports", "big.json", "x".repeat(5000)]], 413, "upload/too-large"],
    ["more files than allowed", Array.from({ length: 5 }, (_, i) => ["exports", `f${i}.json`, "[]"]), 413, undefined],
    ["a file type no reader takes", [["exports", "run.exe", "MZ"]], 400, "upload/unsupported-type"],
    ["a file under an unknown field", [["other", "a.json", "[]"]], 400, "upload/unknown-field"],
  ] as [string, [string, string, string][], number, string | undefined][])(
    "refuses %s and keeps nothing",
    async (_name, files, status, code) => {
      const before = runFolders().length;
      const res = await serve.api("POST", "/api/v1/runs", form(files));
      expect(res.status).toBe(status);
      if (code) expect(res.body.error.code).toBe(code);
      expect(runFolders().length).toBe(before);
    },
  );

  it("refuses a JSON body over the limit with 413", async () => {
    const res = await fetch(`${serve.origin}/api/v1/check`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ listing: { id: "1", title: "x".repeat(3 * 1024 * 1024) } }),
    });
    expect(res.status).toBe(413);
  });

  it("sends a CSP without inline script on every answer", async () => {
    for (const url of ["/", "/api/v1/templates", "/api/v1/nothing"]) {
      const res = await fetch(`${serve.origin}${url}`);
      expect(res.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe-inline");
  });

  it("answers hostile listing text as JSON data, never as markup", async () => {
    for (const payload of PAYLOADS) {
      const res = await serve.api("POST", "/api/v1/check", { listing: { id: payload, title: `全国包邮${payload}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(res.body.fields[0].text).toContain("全国包邮");
    }
  });
});
