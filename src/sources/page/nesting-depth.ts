import { Parser } from "htmlparser2";

/**
 * Real pages nest a few dozen elements deep. The DOM library clones, serialises and searches recursively,
 * so a page nested thousands deep overflows the stack (and parses in quadratic time) instead of failing.
 */
export const MAX_PAGE_DEPTH = 512;

/**
 * The deepest element nesting of some markup up to just past MAX_PAGE_DEPTH, measured with a streaming
 * parser that does not recurse. It stops there: its open-element stack costs linear time per element.
 */
export function measurePageDepth(html: string): number {
  let depth = 0;
  let deepest = 0;
  let stopped = false;
  const parser = new Parser(
    {
      onopentag() {
        depth += 1;
        if (depth > deepest) deepest = depth;
        if (deepest > MAX_PAGE_DEPTH && !stopped) {
          stopped = true;
          parser.pause();
        }
      },
      // Void and implicitly closed elements are closed here too.
      onclosetag() {
        depth = Math.max(0, depth - 1);
      },
    },
    { decodeEntities: false },
  );
  parser.write(html);
  if (!stopped) parser.end();
  return deepest;
}

/** The problem message for a page nested deeper than MAX_PAGE_DEPTH, else undefined. */
export function describeTooDeep(html: string, where: string): string | undefined {
  const depth = measurePageDepth(html);
  return depth > MAX_PAGE_DEPTH
    ? `${where}: elements nested more than ${MAX_PAGE_DEPTH} deep; the page is not read`
    : undefined;
}
