/**
 * Glob matching for user patterns (allowlists, overrides, .listingauditignore, crawl --include/--exclude)
 * in time linear in the pattern times the text. Regex-based matchers backtrack: `*a*a*a*a*a*a*a*a*b` against a long id takes
 * seconds in picomatch, so a config line could stall a run over a million listings.
 *
 * Syntax: `*` any run without `/`, `**` any run, `**` before a slash any run of whole folders (or none), `?` one
 * character other than `/`, `[abc]` `[a-z]` `[!a]` `[^a]` classes, `{a,b}` alternatives, `\` escapes the
 * next character. Everything else is literal text.
 */
export type GlobMatcher = (text: string) => boolean;

type Token =
  | { kind: "char"; value: string }
  | { kind: "any-char" }
  | { kind: "class"; negate: boolean; ranges: Array<[string, string]> }
  | { kind: "star" }
  | { kind: "globstar" }
  | { kind: "folders" };

/** Brace alternatives multiply; past this many expansions the pattern is matched as written. */
const MAX_EXPANSIONS = 64;

export function compileGlob(pattern: string): GlobMatcher {
  const programs = expandBraces(pattern).map(tokenize);
  return (text) => programs.some((tokens) => run(tokens, text));
}

/** Any-of matcher; no patterns match nothing. */
export function compileGlobs(patterns: readonly string[] | undefined): GlobMatcher {
  const matchers = (patterns ?? []).map(compileGlob);
  return (text) => matchers.some((m) => m(text));
}

function expandBraces(pattern: string): string[] {
  let results = [pattern];
  for (;;) {
    const next: string[] = [];
    let changed = false;
    for (const p of results) {
      const group = findBraceGroup(p);
      if (group === undefined) {
        next.push(p);
        continue;
      }
      changed = true;
      for (const option of group.options) next.push(p.slice(0, group.start) + option + p.slice(group.end + 1));
    }
    if (!changed) return results;
    if (next.length > MAX_EXPANSIONS) return [pattern.replace(/[{}]/g, "\\$&")];
    results = next;
  }
}

/** The first innermost `{…,…}` group that is not escaped. */
function findBraceGroup(p: string): { start: number; end: number; options: string[] } | undefined {
  let open = -1;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") i++;
    else if (c === "{") open = i;
    else if (c === "}" && open >= 0) {
      const body = p.slice(open + 1, i);
      const options = splitTopLevel(body);
      if (options.length > 1) return { start: open, end: i, options };
      open = -1;
    }
  }
  return undefined;
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "\\" && i + 1 < body.length) {
      current += c + body[++i];
    } else if (c === ",") {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function tokenize(pattern: string): Token[] {
  const chars = [...pattern];
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === "\\" && i + 1 < chars.length) {
      tokens.push({ kind: "char", value: chars[++i]! });
    } else if (c === "*") {
      let j = i;
      while (chars[j + 1] === "*") j++;
      const double = j > i;
      const atStart = i === 0 || chars[i - 1] === "/";
      if (double && atStart && chars[j + 1] === "/") {
        tokens.push({ kind: "folders" });
        j++;
      } else tokens.push({ kind: double ? "globstar" : "star" });
      i = j;
    } else if (c === "?") {
      tokens.push({ kind: "any-char" });
    } else if (c === "[") {
      const parsed = parseClass(chars, i);
      if (parsed) {
        tokens.push(parsed.token);
        i = parsed.end;
      } else tokens.push({ kind: "char", value: c });
    } else {
      tokens.push({ kind: "char", value: c });
    }
  }
  return tokens;
}

function parseClass(chars: string[], start: number): { token: Token; end: number } | undefined {
  let i = start + 1;
  const negate = chars[i] === "!" || chars[i] === "^";
  if (negate) i++;
  const ranges: Array<[string, string]> = [];
  let first = true;
  for (; i < chars.length; i++) {
    let c = chars[i]!;
    if (c === "]" && !first) return { token: { kind: "class", negate, ranges }, end: i };
    first = false;
    if (c === "\\" && i + 1 < chars.length) c = chars[++i]!;
    if (chars[i + 1] === "-" && chars[i + 2] !== undefined && chars[i + 2] !== "]") {
      ranges.push([c, chars[i + 2]!]);
      i += 2;
    } else ranges.push([c, c]);
  }
  return undefined;
}

/** Breadth-first over text positions: `reach[k]` says the tokens so far can end just before character k. */
function run(tokens: readonly Token[], text: string): boolean {
  const chars = [...text];
  const n = chars.length;
  let reach = new Uint8Array(n + 1);
  reach[0] = 1;
  for (const token of tokens) {
    const next = new Uint8Array(n + 1);
    let any = false;
    if (token.kind === "star" || token.kind === "globstar") {
      let open = false;
      for (let k = 0; k <= n; k++) {
        if (reach[k]) open = true;
        if (open) {
          next[k] = 1;
          any = true;
        }
        if (token.kind === "star" && chars[k] === "/") open = false;
      }
    } else if (token.kind === "folders") {
      let open = false;
      for (let k = 0; k <= n; k++) {
        if (reach[k]) {
          next[k] = 1;
          any = true;
          open = true;
        }
        if (open && chars[k] === "/") {
          next[k + 1] = 1;
          any = true;
        }
      }
    } else {
      for (let k = 0; k < n; k++) {
        if (reach[k] && matchesOne(token, chars[k]!)) {
          next[k + 1] = 1;
          any = true;
        }
      }
    }
    if (!any) return false;
    reach = next;
  }
  return reach[n] === 1;
}

function matchesOne(token: Token, c: string): boolean {
  switch (token.kind) {
    case "char":
      return token.value === c;
    case "any-char":
      return c !== "/";
    case "class": {
      const inside = token.ranges.some(([lo, hi]) => c >= lo && c <= hi);
      return c !== "/" && inside !== token.negate;
    }
    default:
      return false;
  }
}
