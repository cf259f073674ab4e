import {
  checkFoundConfigOutputs,
  type CommandLineSettings,
  findConfigFile,
  layeredSetting,
  loadConfigFile,
  type LoadedConfig,
} from "../config/index.js";
import type { Lang } from "../model.js";
import { escapeTerminalText } from "../report/escape-terminal.js";
import { formatLocatedErrorIn, type LocatedError, type Result } from "../util/result.js";
import type { CliIo } from "./io.js";
import type { CliOptions } from "./options.js";
import { say, type Say } from "./say.js";

export const EXIT_OK = 0;
export const EXIT_FAIL = 1;
export const EXIT_ERROR = 2;
/** Standard output closed early (`… | head`): what a tool killed by SIGPIPE reports (128 + 13). */
export const EXIT_CLOSED_OUTPUT = 141;

/**
 * The config named with -c, else the nearest one from the working directory up to the project root,
 * else none. For an audit (which writes reports), a found config may not write outside the working
 * directory (checkFoundConfigOutputs).
 */
export async function loadConfig(
  options: Pick<CliOptions, "config" | "lang" | "command">,
  io: CliIo,
): Promise<Result<LoadedConfig | undefined>> {
  const loaded = await findAndLoadConfig(options, io);
  setRunLang(io, layeredSetting("lang", loaded.ok ? loaded.value : undefined, options));
  return loaded;
}

/** The settings the command line gives over the config's keys (resolveEffectiveSettings). */
export function commandLineSettings(options: CliOptions): CommandLineSettings {
  const { platform, lang, failOn, templates, maxWarnings, maxProblems, threads } = options;
  return { platform, lang, failOn, format: options.formats, templates, maxWarnings, maxProblems, threads };
}

async function findAndLoadConfig(
  options: Pick<CliOptions, "config" | "command">,
  io: CliIo,
): Promise<Result<LoadedConfig | undefined>> {
  const file = options.config ?? (await findConfigFile(io.cwd));
  if (file === undefined) return { ok: true, value: undefined };
  const loaded = await loadConfigFile(file, io.cwd);
  if (!loaded.ok || options.config !== undefined || options.command !== "audit") return loaded;
  const unsafe = checkFoundConfigOutputs(loaded.value, io.cwd);
  return unsafe.length > 0 ? { ok: false, errors: unsafe } : loaded;
}

/**
 * The language of a run's messages (--lang, else the config's `lang`, else Chinese), kept per CliIo so
 * every message of the run, wherever it is printed, follows it without threading it through each call.
 */
const runLangs = new WeakMap<CliIo, Lang>();

export function setRunLang(io: CliIo, lang: Lang): void {
  runLangs.set(io, lang);
}

export function runLang(io: CliIo): Lang {
  return runLangs.get(io) ?? "zh";
}

/**
 * Colour for the terminal. FORCE_COLOR (other than 0 or false) forces it even when NO_COLOR is set too,
 * as Node.js itself decides: NO_COLOR (no-color.org) is a standing preference of the environment,
 * FORCE_COLOR (force-color.org) the more specific request for this run. Else NO_COLOR turns colour off;
 * else colour when standard output is a terminal. An empty value counts as unset.
 */
export function useColor(io: CliIo): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  return io.isTTY;
}

function pick(text: Say | string, lang: Lang): string {
  return typeof text === "string" ? text : text[lang];
}

export function usageError(io: CliIo, message: Say | string | readonly Say[]): number {
  const lang = runLang(io);
  // One line a problem; what the user typed is quoted in them, escaped.
  const lines = (
    Array.isArray(message) ? message.map((m: Say) => m[lang]) : [pick(message as Say | string, lang)]
  ).flatMap((l) => l.split("\n"));
  const help = say("全部选项见 listing-audit --help。", "Run listing-audit --help for usage.");
  io.stderr.write(`${lines.map((line) => `listing-audit: ${escapeTerminalText(line)}\n`).join("")}${help[lang]}\n`);
  return EXIT_ERROR;
}

export function printErrors(io: CliIo, errors: readonly LocatedError[]): number {
  const lang = runLang(io);
  const label = lang === "zh" ? "错误：" : "error: ";
  for (const error of errors) io.stderr.write(`${label}${escapeTerminalText(formatLocatedErrorIn(error, lang))}\n`);
  return EXIT_ERROR;
}
