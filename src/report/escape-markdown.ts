const MARKDOWN_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "#": "&#35;",
  "@": "&#64;",
};

/**
 * Escapes listing text for GitHub-flavoured Markdown, inline: markup characters are backslash-escaped,
 * HTML becomes entities, line breaks become spaces (so a table cell stays one row), and `@name` / `#123`
 * cannot ping people or link issues from a pull-request comment. Text is only ever placed mid-line, so
 * line-start markers (`-`, `+`, `1.`) need no escaping.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, " ")
    .replace(/[\\`*_[\]|~&<>#@]/g, (c) => MARKDOWN_ESCAPES[c] ?? `\\${c}`);
}
