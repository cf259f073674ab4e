// Benchmark 2, claim parsing vs a plain keyword matcher (issue 6 §2): our claim parser (createParser,
// built from the bundled lexicon and region catalogue) against mint-filter, an Aho–Corasick word
// filter, over the same 100,000 titles and 100,000 description snippets, with the same free-shipping
// vocabulary (the lexicon's claim cores, negations and exclusion markers). Ours does more — folding,
// scopes, conditions, exclusions with their regions, offsets — the goal is that it is still as fast.
// Both run in this process, alternating, after a warm-up; the median of the timed passes counts.
//   node bench/parser-bench.mjs [--scale 0.1] [--count N] [--runs 5]   (run `npm run build` first)
import path from "node:path";
import { pathToFileURL } from "node:url";
import { random, snippetSource, titleSource } from "./lib/corpus.mjs";
import { importDist } from "./lib/dist-library.mjs";
import { describeMachine, formatMachine } from "./lib/machine.mjs";
import { handOver, readCount, readOptions, scaled } from "./lib/options.mjs";
import { BENCH_MODULES } from "./lib/bench-dependencies.mjs";

const DEFAULT_TEXTS = 100_000;

const values = readOptions("parser-bench", { count: { type: "string" }, runs: { type: "string", default: "5" } });
const count = readCount("parser-bench", values, "count", scaled(DEFAULT_TEXTS, values.scale));
const runs = readCount("parser-bench", values, "runs", 5);
const library = await importDist("index.js");
const { createParser } = await importDist("text/index.js");
const { Mint } = await import(pathToFileURL(path.join(BENCH_MODULES, "mint-filter", "dist", "main", "index.js")).href);
const machine = describeMachine();
console.log(`machine: ${formatMachine(machine)}`);

const lexicon = unwrap(await library.loadLexicon(), "lexicon");
const regions = unwrap(await library.loadRegionCatalogue(), "region catalogue");
const vocabulary = [...new Set([...lexicon.claims.cores, ...lexicon.negations, ...lexicon.disclosures.exclusion])];

const rand = random(20240502);
const titles = titleSource(rand);
const snippets = snippetSource(rand);
const texts = [...Array.from({ length: count }, titles.next), ...Array.from({ length: count }, snippets.next)];
const characters = texts.reduce((sum, text) => sum + text.length, 0);
console.log(
  `corpus: ${count} titles (${titles.kind}) + ${count} description snippets (${snippets.kind}), ${(characters / 1e6).toFixed(1)} M characters; ` +
    `vocabulary: ${vocabulary.length} phrases (claim cores, negations, exclusion markers)`,
);

const parse = createParser(lexicon, regions);
const mint = new Mint(vocabulary);
const matchers = {
  ours: (text) => {
    const parsed = parse(text);
    return parsed.claims.length + parsed.disclosures.length;
  },
  "mint-filter": (text) => mint.filter(text, { replace: false }).words.length,
};

function pass(match, list) {
  let hits = 0;
  let withHits = 0;
  const started = performance.now();
  for (const text of list) {
    const found = match(text);
    hits += found;
    if (found > 0) withHits++;
  }
  return { seconds: (performance.now() - started) / 1000, hits, withHits };
}

// Warm-up: one untimed pass each, so compiled code and lazily built tables are there before timing.
for (const match of Object.values(matchers)) pass(match, texts);

const timings = { ours: [], "mint-filter": [] };
const found = {};
for (let run = 0; run < runs; run++) {
  // Alternating the order each run spreads any drift of a busy machine over both.
  const order = run % 2 === 0 ? ["ours", "mint-filter"] : ["mint-filter", "ours"];
  for (const name of order) {
    const result = pass(matchers[name], texts);
    timings[name].push(result.seconds);
    found[name] = { hits: result.hits, textsWithHits: result.withHits };
    console.log(
      `${name.padEnd(12)} run ${run + 1}: ${result.seconds.toFixed(2)} s, ${Math.round(texts.length / result.seconds)} texts/s`,
    );
  }
}

const summary = (name) => {
  const seconds = median(timings[name]);
  return {
    seconds: Number(seconds.toFixed(3)),
    textsPerSecond: Math.round(texts.length / seconds),
    charactersPerSecond: Math.round(characters / seconds),
    runs: timings[name].map((s) => Number(s.toFixed(3))),
    ...found[name],
  };
};
const ours = summary("ours");
const theirs = summary("mint-filter");
// Each run times both back to back, so the ratio within a run is the least disturbed by a busy machine's
// drift; the median of those is the figure (the ratio of the two medians is printed too).
const ratio = Number(median(timings["mint-filter"].map((seconds, i) => seconds / timings.ours[i])).toFixed(2));
const ratioOfMedians = Number((ours.textsPerSecond / theirs.textsPerSecond).toFixed(2));
for (const [name, figures] of [
  ["ours", ours],
  ["mint-filter", theirs],
]) {
  console.log(
    `${name.padEnd(12)} median ${figures.textsPerSecond} texts/s, ${(figures.charactersPerSecond / 1e6).toFixed(2)} M chars/s; ` +
      `${figures.textsWithHits} texts with a hit (${name === "ours" ? "claims + disclosures" : "vocabulary words"})`,
  );
}
console.log(
  `ratio ours / mint-filter throughput (median of the per-run ratios): ×${ratio} — ${ratio >= 1 ? "ours is at least as fast (goal met)" : "ours is slower (goal: at least as fast)"}; ratio of the medians ×${ratioOfMedians}`,
);

handOver(values, {
  bench: "parser",
  date: new Date().toISOString(),
  machine,
  scale: values.scale,
  texts: texts.length,
  titles: titles.kind,
  snippets: snippets.kind,
  characters,
  vocabulary: vocabulary.length,
  ours,
  mintFilter: theirs,
  ratio,
  ratioOfMedians,
  goal: "ours at least as fast (ratio ≥ 1)",
});

function unwrap(result, what) {
  if (result.ok) return result.value;
  console.error(`parser-bench: the bundled ${what} did not load: ${JSON.stringify(result.errors.slice(0, 3))}`);
  process.exit(2);
}

function median(list) {
  const sorted = list.toSorted((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
