/** C0 controls, DEL, C1 controls and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * Text from listings, templates, file names or crawled pages, made safe to print to a terminal or a CI
 * log: every control character becomes a visible escape (`\n`, `\x1b`, `\u2028`), so such text cannot
 * move the cursor, colour the screen, erase a line, or start a line of its own — a line a CI runner
 * would read as a command (`::error::`, `::add-mask::`). Printable text, Chinese included, is unchanged.
 * Every place where such text meets a terminal or a log uses this function.
 */
export function escapeTerminalText(text: string): string {
  return text.replace(CONTROL, (ch) => NAMED[ch] ?? escapeCode(ch.charCodeAt(0)));
}

function escapeCode(code: number): string {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}
