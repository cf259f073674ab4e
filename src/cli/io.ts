import type { Readable, Writable } from "node:stream";
import type { Lang } from "../model.js";

/** What the CLI talks to; tests pass their own streams. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Standard output is a terminal (colour, and no progress line mixed into the report). */
  isTTY: boolean;
  /**
   * Told what to do when the process is interrupted (a signal, a closed standard output), where there is
   * a process to interrupt: the command fills it in as it learns the run's language and progress line.
   */
  interruption?: Interruption;
}

/** What a run cut short prints on the way out. */
export interface Interruption {
  lang: Lang;
  /** Clears the progress line, when one is shown. */
  clearProgress?: () => void;
  /** A command that stops by itself (the queue worker): called on the first SIGINT / SIGTERM instead of exiting. */
  graceful?: () => void;
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
    interruption: { lang: "zh" },
  };
}
