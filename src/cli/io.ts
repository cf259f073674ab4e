import type { Readable, Writable } from "node:stream";

/** What the CLI talks to; tests pass their own streams. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Standard output is a terminal (colour, and no progress line mixed into the report). */
  isTTY: boolean;
}

/** The real process's streams, working directory and environment. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
    env: process.env,
    isTTY: process.stdout.isTTY === true,
  };
}
