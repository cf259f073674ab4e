/**
 * Characters XML 1.0 forbids even as references (C0 controls other than tab/LF/CR, lone surrogates,
 * U+FFFE/U+FFFF). CI servers reject the whole report on one of them, so they are dropped.
 */
const INVALID_XML_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const XML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** Escapes text for an XML text node or attribute and strips characters XML cannot carry. */
export function escapeXml(text: string): string {
  return text.replace(INVALID_XML_CHARS, "").replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

/** Like escapeXml, but keeps line breaks in attribute values (parsers normalise raw ones to spaces). */
export function escapeXmlAttribute(text: string): string {
  return escapeXml(text).replace(/\r/g, "&#13;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
}
