import { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { run } from "../src/cli.js";

export const FIXTURES = fileURLToPath(new URL("./fixtures/cli/", import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured streams. */
export async function runCli(
  argv: string[],
  options: { cwd?: string; env?: Record<string, string>; isTTY?: boolean; stderrIsTTY?: boolean; stdin?: string } = {},
): Promise<CliRun> {
  let out = "";
  let err = "";
  // Collected as written, so nothing is still in flight when run() returns.
  const stdout = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      out += chunk.toString("utf8");
      done();
    },
  });
  const stderr = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      err += chunk.toString("utf8");
      done();
    },
  });
  if (options.stderrIsTTY) Object.assign(stderr, { isTTY: true });
  const code = await run(argv, {
    stdout,
    stderr,
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    cwd: options.cwd ?? FIXTURES,
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
  });
  return { code, stdout: out, stderr: err };
}
