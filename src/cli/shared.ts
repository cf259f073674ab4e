import { findConfigFile, loadConfigFile, type LoadedConfig } from "../config/index.js";
import { escapeTerminalText } from "../report/escape-terminal.js";
import { formatLocatedError, type LocatedError, type Result } from "../util/result.js";
import type { CliIo } from "./io.js";
import type { CliOptions } from "./options.js";

export const EXIT_OK = 0;
export const EXIT_FAIL = 1;
export const EXIT_ERROR = 2;
/** Standard output closed early (`… | head`): what a tool killed by SIGPIPE reports (128 + 13). */
export const EXIT_CLOSED_OUTPUT = 141;

/** The config named with -c, else the nearest one from the working directory upwards, else none. */
export async function loadConfig(options: Pick<CliOptions, "config">, io: CliIo): Promise<Result<LoadedConfig | undefined>> {
  const file = options.config ?? (await findConfigFile(io.cwd));
  if (file === undefined) return { ok: true, value: undefined };
  return loadConfigFile(file, io.cwd);
}

/** Colour for the terminal: FORCE_COLOR forces it (0 / false turn it off), NO_COLOR turns it off. */
export function useColor(io: CliIo): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  return io.isTTY;
}

export function usageError(io: CliIo, message: string): number {
  // One line a problem; what the user typed is quoted in them, escaped.
  const lines = message.split("\n").map(escapeTerminalText).join("\n");
  io.stderr.write(`listing-audit: ${lines}\nRun listing-audit --help for usage.\n`);
  return EXIT_ERROR;
}

export function printErrors(io: CliIo, errors: readonly LocatedError[]): number {
  for (const error of errors) io.stderr.write(`error: ${escapeTerminalText(formatLocatedError(error))}\n`);
  return EXIT_ERROR;
}
