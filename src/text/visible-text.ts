import { Parser } from "htmlparser2";

/** Buyer-visible text (see docs/report-format.md#offsets) and a map from its offsets back to the input string. */
export interface VisibleText {
  text: string;
  /** The offset in the input string where the visible character at `offset` came from. */
  toSource(offset: number): number;
}

/** Elements whose boundaries end a line. */
const BLOCK_ELEMENTS = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "br",
  "caption",
  "center",
  "dd",
  "details",
  "div",
  "dl",
  "dt",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "form",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "li",
  "main",
  "nav",
  "ol",
  "p",
  "pre",
  "section",
  "summary",
  "table",
  "tbody",
  "td",
  "tfoot",
  "th",
  "thead",
  "tr",
  "ul",
]);
/** Elements whose content a buyer never reads. */
const HIDDEN_ELEMENTS = new Set(["script", "style", "template", "noscript", "title", "head"]);

const LOOKS_LIKE_HTML = /<(?:[a-zA-Z][a-zA-Z0-9-]*[\s/>]|\/[a-zA-Z]|!--)/;
const NON_SPACE_RUN = /\S+/g;
/** Control and zero-width characters: invisible, so not part of the visible text (mojibake leaves C1 controls). */
const VISIBLE_PIECE = /[^\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2060\ufeff]+/g;

/**
 * Builds visible text: HTML (detected by a tag) → text nodes in document order, entities decoded,
 * script/style/comments/attributes dropped, block boundaries and <br> → "\n"; plain text keeps its
 * lines. In both, white space collapses to one space, lines are trimmed and empty lines dropped.
 */
export function toVisibleText(input: string): VisibleText {
  const builder = new TextBuilder(true);
  if (LOOKS_LIKE_HTML.test(input)) readHtml(input, builder);
  else readPlain(input, builder);
  return builder.finish();
}

/** The text of toVisibleText alone, without building the offset map (for callers that never map back). */
export function readVisibleText(input: string): string {
  const builder = new TextBuilder(false);
  if (LOOKS_LIKE_HTML.test(input)) readHtml(input, builder);
  else readPlain(input, builder);
  return builder.finishText();
}

function readPlain(input: string, builder: TextBuilder): void {
  const lineBreak = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = lineBreak.exec(input); m; m = lineBreak.exec(input)) {
    builder.text(input.slice(start, m.index), start, true);
    builder.lineBreak();
    start = m.index + m[0].length;
  }
  builder.text(input.slice(start), start, true);
}

/** htmlparser2's Parser without attribute bookkeeping: visible text never reads attributes (long image URLs). */
class TextParser extends Parser {
  override onattribname(): void {}
  override onattribdata(): void {}
  override onattribentity(): void {}
  override onattribend(): void {}
}

function readHtml(input: string, builder: TextBuilder): void {
  let hiddenDepth = 0;
  const parser = new TextParser(
    {
      onopentagname(name) {
        if (HIDDEN_ELEMENTS.has(name)) hiddenDepth += 1;
        else if (BLOCK_ELEMENTS.has(name)) builder.lineBreak();
      },
      onclosetag(name) {
        if (HIDDEN_ELEMENTS.has(name)) hiddenDepth = Math.max(0, hiddenDepth - 1);
        else if (BLOCK_ELEMENTS.has(name)) builder.lineBreak();
      },
      ontext(text) {
        if (hiddenDepth > 0) return;
        // Decoded entities arrive as their own event; their characters all map to the entity's start.
        const exact = parser.endIndex - parser.startIndex + 1 === text.length;
        builder.text(text, parser.startIndex, exact);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(input);
  parser.end();
}

/** Accumulates collapsed text and the offset segments that map it back to the source. */
class TextBuilder {
  private readonly parts: string[] = [];
  private length = 0;
  /** Flattened (visibleStart, sourceStart, exact ? 1 : 0) triples, in order. */
  private readonly segments: number[] = [];
  private pendingSpace = false;
  private pendingBreak = false;

  /** `mapped`: keep the offset segments (toVisibleText); without them only the text is built. */
  constructor(private readonly mapped: boolean) {}

  text(text: string, sourceStart: number, exact: boolean): void {
    NON_SPACE_RUN.lastIndex = 0;
    let at = 0;
    for (let m = NON_SPACE_RUN.exec(text); m; m = NON_SPACE_RUN.exec(text)) {
      if (m.index > at) this.pendingSpace = true;
      const word = m[0];
      VISIBLE_PIECE.lastIndex = 0;
      for (let piece = VISIBLE_PIECE.exec(word); piece; piece = VISIBLE_PIECE.exec(word)) {
        const source = exact ? sourceStart + m.index + piece.index : sourceStart;
        this.separate(source);
        this.push(piece[0], source, exact);
      }
      at = m.index + word.length;
    }
    if (at < text.length) this.pendingSpace = true;
  }

  lineBreak(): void {
    this.pendingBreak = true;
  }

  finishText(): string {
    return this.parts.join("");
  }

  finish(): VisibleText {
    const text = this.parts.join("");
    const segments = Int32Array.from(this.segments);
    return { text, toSource: (offset) => mapToSource(segments, offset) };
  }

  private separate(source: number): void {
    if (this.length > 0 && (this.pendingBreak || this.pendingSpace)) {
      this.push(this.pendingBreak ? "\n" : " ", source, false);
    }
    this.pendingBreak = false;
    this.pendingSpace = false;
  }

  private push(text: string, source: number, exact: boolean): void {
    if (this.mapped) this.segments.push(this.length, source, exact ? 1 : 0);
    this.parts.push(text);
    this.length += text.length;
  }
}

function mapToSource(segments: Int32Array, offset: number): number {
  let lo = 0;
  let hi = segments.length / 3 - 1;
  if (hi < 0) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((segments[mid * 3] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  const start = segments[lo * 3] as number;
  const source = segments[lo * 3 + 1] as number;
  return segments[lo * 3 + 2] === 1 ? source + Math.max(0, offset - start) : source;
}
