import { readFile } from "node:fs/promises";
import path from "node:path";
import MarkdownIt from "markdown-it";
import type { Lang } from "../model.js";
import { findRule, RULES } from "../rules/registry.js";
import { PACKAGE_ROOT } from "../util/package-root.js";
import { bilingual, type LocatedError } from "../util/result.js";

/** A rule's docs page rendered for the web app. */
export interface RulePage {
  id: string;
  lang: Lang;
  /** The page it was rendered from, relative to the package: `docs/rules/<name>.zh.md` or `.md`. */
  source: string;
  html: string;
}

// Raw HTML is off: a `<script>` or an `onerror=` in a page comes out as text, so what the server sends
// into the app can run nothing (the app also forbids inline script by CSP). markdown-it also refuses
// `javascript:`, `vbscript:` and non-image `data:` links.
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });
type Token = ReturnType<MarkdownIt["parse"]>[number];

/** `docs/rules/<name>.md` for English, `docs/rules/<name>.zh.md` for Chinese. */
export function rulePageFile(docs: string, lang: Lang): string {
  return lang === "zh" ? docs.replace(/\.md$/, ".zh.md") : docs;
}

/** The app's page of a rule, e.g. `/rules/shipping/claim-charged-region`. */
export function appRulePath(ruleId: string): string {
  return `/rules/${ruleId.split("/").map(encodeURIComponent).join("/")}`;
}

/** The rule whose page (in either language) a link of the page `from` points at. */
function linkedRule(from: string, href: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("#")) return undefined;
  const file = path.posix.normalize(path.posix.join(path.posix.dirname(from), href.split("#")[0] ?? ""));
  const english = file.replace(/\.zh\.md$/, ".md");
  return RULES.find((rule) => rule.meta.docs === english)?.meta.id;
}

/**
 * The app shows one rule page at a time with its own language switch: the page's `[English](…)` line,
 * a paragraph that only links to this rule's page, goes.
 */
function dropLanguageLink(tokens: Token[], from: string, ruleId: string): Token[] {
  const index = tokens.findIndex((token, i) => {
    const children = tokens[i + 1]?.children ?? [];
    return (
      token.type === "paragraph_open" &&
      children.length === 3 &&
      children[0]?.type === "link_open" &&
      children[1]?.type === "text" &&
      linkedRule(from, children[0].attrGet("href") ?? "") === ruleId
    );
  });
  return index === -1 ? tokens : [...tokens.slice(0, index), ...tokens.slice(index + 3)];
}

/**
 * Links to other rule pages go to the app's page of that rule; absolute links stay; links to other docs
 * files (which the app does not serve) become their text, which names the file.
 */
function rewriteLinks(children: Token[], from: string): Token[] {
  const out: Token[] = [];
  let dropClose = false;
  for (const child of children) {
    if (child.type === "link_open") {
      const href = child.attrGet("href") ?? "";
      const ruleId = linkedRule(from, href);
      if (ruleId !== undefined) child.attrSet("href", appRulePath(ruleId));
      else if (!/^https?:/i.test(href)) {
        dropClose = true;
        continue;
      }
    } else if (child.type === "link_close" && dropClose) {
      dropClose = false;
      continue;
    }
    out.push(child);
  }
  return out;
}

/**
 * Renders a rule page's Markdown for the app: headings one level down (the app's own name is the page's
 * h1), links rewritten, and no `style` attribute (table alignment), which the CSP's `style-src 'self'`
 * would refuse.
 */
export function renderRulePage(text: string, from: string, ruleId: string): string {
  const tokens = dropLanguageLink(markdown.parse(text, {}), from, ruleId);
  for (const token of tokens) {
    if (token.type === "heading_open" || token.type === "heading_close")
      token.tag = `h${Math.min(Number(token.tag.slice(1)) + 1, 6)}`;
    if (token.children) token.children = rewriteLinks(token.children, from);
    for (const child of [token, ...(token.children ?? [])])
      if (child.attrs) child.attrs = child.attrs.filter(([name]) => name !== "style");
  }
  return markdown.renderer.render(tokens, markdown.options, {});
}

/** Rendered pages by file: the docs ship with the package and do not change while the server runs. */
const rendered = new Map<string, string>();

export type RulePageResult =
  | { ok: true; page: RulePage }
  | { ok: false; code: "rules/not-found" | "rules/page-missing"; error: LocatedError };

/** A rule's page in `lang`, read from the package's docs/rules; an unknown rule or a missing page is an error. */
export async function loadRulePage(ruleId: string, lang: Lang, root = PACKAGE_ROOT): Promise<RulePageResult> {
  const rule = findRule(ruleId);
  if (rule === undefined)
    return {
      ok: false,
      code: "rules/not-found",
      error: {
        file: "request",
        key: "params.id",
        ...bilingual(
          `没有规则 "${ruleId}"（GET /api/v1/rules 列出全部规则）`,
          `no rule "${ruleId}" (GET /api/v1/rules lists them)`,
        ),
      },
    };
  const source = rulePageFile(rule.meta.docs, lang);
  const file = path.join(root, source);
  let html = rendered.get(file);
  if (html === undefined) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      return {
        ok: false,
        code: "rules/page-missing",
        error: {
          file: source,
          key: "",
          ...bilingual(`无法读取规则页面（${reason}）`, `the rule's page cannot be read (${reason})`),
        },
      };
    }
    html = renderRulePage(text, source, ruleId);
    rendered.set(file, html);
  }
  return { ok: true, page: { id: ruleId, lang, source, html } };
}
