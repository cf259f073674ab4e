import { run } from "../cli.js";
import { escapeTerminalText } from "../report/escape-terminal.js";
import { processIo } from "./io.js";
import { outputMessages } from "./output-messages.js";
import { EXIT_CLOSED_OUTPUT, EXIT_ERROR } from "./shared.js";

/** Exit status of a run interrupted by SIGINT / SIGTERM (128 + the signal's number, as shells report it). */
export const EXIT_SIGINT = 130;
export const EXIT_SIGTERM = 143;

/**
 * Runs the command line as this process: sets the exit code, and ends the process when it is interrupted
 * or its standard output goes away. Every way out goes through process.exit, whose exit handlers remove
 * the run's temporary files (uncommitted reports, spools), so an earlier report is never replaced by a
 * partial one.
 */
export async function runProcess(argv: readonly string[]): Promise<void> {
  const io = processIo();
  const interruption = io.interruption ?? { lang: "zh" };
  const stop = (code: number, notice: string | undefined): never => {
    interruption.clearProgress?.();
    if (notice !== undefined) process.stderr.write(notice);
    process.exit(code);
  };
  const interrupted = (code: number) => () => {
    // Only the first signal is the command's to handle: a second one ends the process as signals do.
    if (interruption.graceful) return interruption.graceful();
    // On a terminal the line may hold the progress display or the echoed ^C: both are cleared.
    stop(code, process.stderr.isTTY ? `\r\u001b[K${outputMessages(interruption.lang).interrupted}\n` : undefined);
  };
  process.once("SIGINT", interrupted(EXIT_SIGINT));
  process.once("SIGTERM", interrupted(EXIT_SIGTERM));
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    // A reader that stopped reading (`| head`) is how pipes end, not a failure: no message.
    if (error.code === "EPIPE") stop(EXIT_CLOSED_OUTPUT, undefined);
    const messages = outputMessages(interruption.lang);
    stop(
      EXIT_ERROR,
      `listing-audit: ${escapeTerminalText(messages.cannotWriteOutput(messages.standardOutput, error.code ?? error.message))}\n`,
    );
  });
  process.exitCode = await run(argv, io);
}
