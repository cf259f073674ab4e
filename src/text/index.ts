export { analyseListing, listingPrice, type AnalyseContext } from "./analyse.js";
export { explainText, type Explanation } from "./explain.js";
export { foldText } from "./fold.js";
export {
  BUILTIN_LEXICON_FILE,
  lexiconAdditionsSchema,
  lexiconSchema,
  loadLexicon,
  mergeLexicon,
  parseLexicon,
  type Lexicon,
  type LexiconAdditions,
} from "./lexicon.js";
export { createParser, parseText, type ParseContext, type TextParser } from "./parser.js";
export { toVisibleText, type VisibleText } from "./visible-text.js";
