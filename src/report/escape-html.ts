const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

/**
 * Escapes text for an HTML text node or a quoted attribute value. Listing text is hostile input: the same
 * escaping serves both places so no caller has to choose.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** An http(s) URL that is safe as a link target, else undefined (`javascript:` and the like are dropped). */
export function safeLinkUrl(url: string): string | undefined {
  return /^https?:\/\//i.test(url) ? url : undefined;
}
