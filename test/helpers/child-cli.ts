import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The installed command: bin/ runs the build in dist/ (`npm run build` first). */
export const BIN = fileURLToPath(new URL("../../bin/listing-audit.js", import.meta.url));
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Makes the child believe its stderr is a terminal (its stderr stays a pipe the test reads). */
const STDERR_TTY = `data:text/javascript,Object.defineProperty(process.stderr, "isTTY", { value: true })`;

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ChildOptions {
  cwd?: string;
  env?: Record<string, string>;
  stdio?: StdioOptions;
  /** Pretend stderr is a terminal (progress line, interruption notice). */
  stderrTTY?: boolean;
}

/** Starts bin/listing-audit.js as a child process, collecting what it prints on piped streams. */
export function startCli(
  args: readonly string[],
  options: ChildOptions = {},
): { child: ChildProcess; done: Promise<ChildRun>; stderrSoFar: () => string } {
  const child = spawn(process.execPath, [...(options.stderrTTY ? ["--import", STDERR_TTY] : []), BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "", ...options.env },
    stdio: options.stdio ?? ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const done = new Promise<ChildRun>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done, stderrSoFar: () => stderr };
}

export function runChildCli(args: readonly string[], options: ChildOptions = {}): Promise<ChildRun> {
  return startCli(args, options).done;
}

/** Polls `check` until it holds (true) or `timeoutMs` passes (false): a hang guard, never a speed test. */
export async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}
