import { compileGlob } from "../../util/glob.js";

/**
 * Parses and normalises a URL for fetching and de-duplication: http(s) only, fragment dropped,
 * host lower-cased, default port dropped (WHATWG URL does both), credentials removed, query order kept.
 * Returns undefined for anything else (mailto:, javascript:, relative junk).
 */
export function normaliseUrl(href: string, base?: string | URL): URL | undefined {
  let url: URL;
  try {
    url = new URL(href.trim(), base);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  url.hash = "";
  url.username = "";
  url.password = "";
  return url;
}

/**
 * Text with the `user:password@` of every http(s) URL in it removed: start URLs may carry Basic-auth
 * credentials, and wherever a URL is shown (reports, stderr) it goes through here. Linear: each match is
 * anchored at a scheme and stops at the first `/`, `?`, `#`, `@` or space.
 */
export function redactCredentials(text: string): string {
  return text.replace(/\b(https?:\/\/)[^\s/?#@]*@/gi, "$1");
}

/** `host:port` as the URL shows it (port omitted when default): the unit of politeness and of allowed hosts. */
export function hostOf(url: URL): string {
  return url.host.toLowerCase();
}

/** Compiled include/exclude patterns: a pattern with `://` matches the whole URL, others path + query. */
export function compileUrlFilter(include: readonly string[], exclude: readonly string[]): (url: URL) => boolean {
  const compile = (patterns: readonly string[]) =>
    patterns.map((p) => {
      // Linear time: picomatch's backtracking regexes hang on `**/*a*a*a*a*a*a*a*b` against a long URL.
      const isMatch = compileGlob(p);
      return p.includes("://")
        ? (u: URL) => isMatch(u.href)
        : (u: URL) => isMatch(u.pathname + u.search) || isMatch(u.pathname);
    });
  const includes = compile(include);
  const excludes = compile(exclude);
  return (url) => (includes.length === 0 || includes.some((m) => m(url))) && !excludes.some((m) => m(url));
}
