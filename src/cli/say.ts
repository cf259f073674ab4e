import type { Lang } from "../model.js";

/** A line for the user in both languages; the run's `--lang` picks one. */
export interface Say {
  zh: string;
  en: string;
}

export function say(zh: string, en: string): Say {
  return { zh, en };
}

/**
 * The language of messages before the config is read (a bad option, a config that cannot be loaded):
 * `--lang` as written on the command line, else Chinese.
 */
export function langFromArgv(argv: readonly string[]): Lang {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === "--") break;
    const value = arg === "--lang" ? argv[i + 1] : arg?.startsWith("--lang=") ? arg.slice("--lang=".length) : undefined;
    if (value === "en" || value === "zh") return value;
  }
  return "zh";
}
