const MARKDOWN_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "#": "&#35;",
  "@": "&#64;",
  $: "&#36;",
};

/**
 * Escapes listing text for GitHub-flavoured Markdown, inline: markup characters are backslash-escaped,
 * HTML becomes entities, line breaks become spaces (so a table cell stays one row), and `@name` / `#123`
 * cannot ping people or link issues from a pull-request comment. Text is only ever placed mid-line, so
 * line-start markers (`-`, `+`, `1.`) need no escaping. `$` cannot open math, bare `https://` and `www.`
 * cannot autolink, and control characters show as their Control Pictures (␀, ␛) instead of passing through.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, " ")
    .replace(/[\\`*_[\]|~&<>#@$]/g, (c) => MARKDOWN_ESCAPES[c] ?? `\\${c}`)
    .replace(/:\/\//g, "&#58;//")
    .replace(/\b(www)\./gi, "$1&#46;")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) =>
      String.fromCharCode(c === "\u007f" ? 0x2421 : 0x2400 + c.charCodeAt(0)),
    );
}
