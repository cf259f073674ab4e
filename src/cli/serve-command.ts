import { spawn } from "node:child_process";
import path from "node:path";
import { loadCheckBase } from "../server/checker.js";
import { createServer } from "../server/app.js";
import { defaultMaxRuns } from "../server/run-queue.js";
import { isLoopback } from "../server/security.js";
import type { CliIo } from "./io.js";
import type { CliOptions } from "./options.js";
import { say } from "./say.js";
import { EXIT_OK, printErrors, runLang, setRunLang, usageError } from "./shared.js";

/** Where `serve` keeps its database and uploads unless `--data` says otherwise (relative to the working folder). */
export const DEFAULT_DATA_DIR = ".listing-audit";
export const DEFAULT_PORT = 4173;
/** The environment variable that can carry the token instead of `--token` (which shows in `ps`). */
export const TOKEN_VARIABLE = "LISTING_AUDIT_TOKEN";
/** `--max-runs` above this holds more uploads in memory than any machine has cores to audit them with. */
export const MAX_RUNS_LIMIT = 64;

/** `listing-audit serve`: the web workbench and the HTTP API, until interrupted. */
export async function runServeCommand(options: CliOptions, io: CliIo): Promise<number> {
  setRunLang(io, options.lang ?? "zh");
  const { serve } = options;
  const host = serve.host ?? "127.0.0.1";
  const port = serve.port === undefined ? DEFAULT_PORT : Number(serve.port);
  if (!/^\d{1,5}$/.test(serve.port ?? "0") || port > 65535)
    return usageError(
      io,
      say(
        `--port 须是 0 到 65535 的整数（写的是 "${serve.port}"）`,
        `--port must be a whole number from 0 to 65535 (got "${serve.port}")`,
      ),
    );
  const maxRuns = serve.maxRuns === undefined ? defaultMaxRuns() : Number(serve.maxRuns);
  if (!/^\d{1,3}$/.test(serve.maxRuns ?? "1") || maxRuns < 1 || maxRuns > MAX_RUNS_LIMIT)
    return usageError(
      io,
      say(
        `--max-runs 须是 1 到 ${MAX_RUNS_LIMIT} 的整数（写的是 "${serve.maxRuns}"）`,
        `--max-runs must be a whole number from 1 to ${MAX_RUNS_LIMIT} (got "${serve.maxRuns}")`,
      ),
    );
  const token = serve.token ?? io.env[TOKEN_VARIABLE];
  if (token !== undefined && token.length < 16)
    return usageError(io, say("令牌至少 16 个字符", "the token must be at least 16 characters"));
  if (!isLoopback(host) && token === undefined)
    return usageError(
      io,
      say(
        `绑定到 ${host} 时必须设置令牌：--token <令牌> 或环境变量 ${TOKEN_VARIABLE}`,
        `binding to ${host} needs a token: --token <token> or the ${TOKEN_VARIABLE} environment variable`,
      ),
    );
  const base = await loadCheckBase();
  if (!base.ok) return printErrors(io, base.errors);
  const dataDir = path.resolve(io.cwd, serve.data ?? DEFAULT_DATA_DIR);
  const app = await createServer({
    dataDir,
    base: base.value,
    maxRuns,
    ...(token === undefined ? {} : { token }),
  });
  const address = await app.listen({ host, port });
  const url = token === undefined ? address : `${address}/#token=${encodeURIComponent(token)}`;
  io.stderr.write(
    runLang(io) === "zh"
      ? `listing-audit 工作台：${address}（数据：${dataDir}；同时审核至多 ${maxRuns} 个；Ctrl+C 停止）\n`
      : `listing-audit workbench: ${address} (data: ${dataDir}; at most ${maxRuns} runs at once; Ctrl+C stops it)\n`,
  );
  if (serve.open) openBrowser(url);
  await new Promise<void>((resolve) => app.server.once("close", resolve));
  return EXIT_OK;
}

/** Opens the app in the desktop's browser; without one (a server, CI) nothing happens. */
function openBrowser(url: string): void {
  const command = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  const child = spawn(command, [url], { detached: true, stdio: "ignore" });
  child.on("error", () => {});
  child.unref();
}
