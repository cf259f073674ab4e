import { fingerprintFinding } from "../baseline/fingerprint.js";
import type {
  Finding,
  FindingRegion,
  ListingRecord,
  ListingResult,
  Problem,
  ReportComparison,
  SourceLocation,
  Summary,
} from "../model.js";
import type { Reporter, ReporterFactory, TextSpool } from "./reporter.js";

/**
 * The JSON report (docs/report-format.md), streamed: findings are written as they come; problems are formatted as they
 * come and held in the run's spool (memory, then a temporary file) to be written after them; the summary last (it is
 * known only then). Keys are always in the same order, so two runs on the same input give identical bytes. Each finding
 * carries its baseline `fingerprint`, the summary the config's `allowlisted` / `suppressed` counts when set, and a
 * `--compare` run ends with a top-level `comparison`.
 */
export const createJsonReporter: ReporterFactory = (): Reporter => {
  let problems: TextSpool | undefined;
  let problemCount = 0;
  const keepProblem = (problem: Problem): void => {
    if (problems === undefined) throw new Error("the JSON reporter was given a problem before start()");
    problems.append(`${problemCount === 0 ? "" : ",\n"}    ${JSON.stringify(orderProblem(problem))}`);
    problemCount++;
  };
  let findings = 0;
  return {
    start: (run) => {
      problems = run.spool();
      return `{\n  "tool": ${JSON.stringify(run.tool)},\n  "format": 1,\n  "findings": [`;
    },
    listing: (result: ListingResult) => {
      for (const problem of result.problems) keepProblem(problem);
      let out = "";
      for (const finding of result.findings) {
        out += `${findings === 0 ? "\n" : ",\n"}    ${findingJson(finding, result.record)}`;
        findings++;
      }
      return out;
    },
    problem: (problem) => {
      keepProblem(problem);
      return "";
    },
    *end(summary: Summary) {
      const closeFindings = findings === 0 ? "]" : "\n  ]";
      if (problems === undefined || problemCount === 0) {
        yield `${closeFindings},\n  "problems": []`;
      } else {
        yield `${closeFindings},\n  "problems": [\n`;
        yield* problems.chunks();
        yield "\n  ]";
      }
      const comparison = summary.comparison ? `,\n  "comparison": ${formatComparison(summary.comparison)}` : "";
      yield `,\n  "summary": ${JSON.stringify(orderSummary(summary))}${comparison}\n}\n`;
    },
  };
};

/**
 * The finding as `JSON.stringify` writes its object of docs/report-format.md#findings (keys in this order), built member by member so that a
 * region list shared across listings is serialised once (a finding naming 31 provinces is mostly that).
 */
function findingJson(f: Finding, record: ListingRecord): string {
  let out = "{";
  const member = (key: string, json: string | undefined): void => {
    if (json === undefined) return;
    out += `${out.length === 1 ? "" : ","}"${key}":${json}`;
  };
  member("ruleId", JSON.stringify(f.ruleId));
  member("severity", JSON.stringify(f.severity));
  member("listingId", JSON.stringify(f.listingId));
  member("message", JSON.stringify(f.message));
  member("source", JSON.stringify(orderSource(f.source)));
  member("claim", JSON.stringify(f.claim));
  member("relatedClaims", JSON.stringify(f.relatedClaims));
  member("regions", regionsJson(f.regions));
  member("templateId", JSON.stringify(f.templateId));
  member("fix", JSON.stringify(f.fix));
  member("reference", JSON.stringify(f.reference));
  member("fingerprint", JSON.stringify(fingerprintFinding(f, record)));
  if (f.baselined !== undefined) member("baselined", JSON.stringify(f.baselined));
  return `${out}}`;
}

const sharedRegionsJson = new WeakMap<readonly FindingRegion[], string>();

/** A frozen region list is shared by the rules across listings: its JSON is kept with it. */
function regionsJson(regions: readonly FindingRegion[]): string {
  if (!Object.isFrozen(regions)) return JSON.stringify(regions.map(orderRegion));
  let json = sharedRegionsJson.get(regions);
  if (json === undefined) {
    json = JSON.stringify(regions.map(orderRegion));
    sharedRegionsJson.set(regions, json);
  }
  return json;
}

function orderRegion(r: FindingRegion): Record<string, unknown> {
  return {
    code: r.code,
    name: r.name,
    fee: r.fee,
    ...(r.quantity === undefined ? {} : { quantity: r.quantity }),
    ...(r.partial ? { partial: true } : {}),
  };
}

function orderProblem(p: Problem): Record<string, unknown> {
  return {
    code: p.code,
    source: orderSource(p.source),
    message: p.message,
    ...(p.listingId === undefined ? {} : { listingId: p.listingId }),
  };
}

function orderSource(s: SourceLocation): SourceLocation {
  const out: SourceLocation = {};
  if (s.file !== undefined) out.file = s.file;
  if (s.url !== undefined) out.url = s.url;
  if (s.row !== undefined) out.row = s.row;
  if (s.line !== undefined) out.line = s.line;
  if (s.field !== undefined) out.field = s.field;
  return out;
}

function orderSummary(s: Summary): Summary {
  return {
    listings: s.listings,
    findings: s.findings,
    error: s.error,
    warning: s.warning,
    info: s.info,
    problems: s.problems,
    skipped: s.skipped,
    ...(s.allowlisted === undefined ? {} : { allowlisted: s.allowlisted }),
    ...(s.suppressed === undefined ? {} : { suppressed: s.suppressed }),
  };
}

/**
 * Counts first, then the new fingerprints and the fixed findings one per line, so a diff stays readable.
 * Past the first 10,000 fixed findings only the count is kept (`fixedNotListed`), so memory stays flat.
 */
function formatComparison(c: ReportComparison): string {
  const counts = { new: c.new.length, fixed: c.fixed.length + (c.fixedNotListed ?? 0), unchanged: c.unchanged };
  const list = (items: readonly unknown[]) =>
    items.length === 0 ? "[]" : `[\n${items.map((i) => `      ${JSON.stringify(i)}`).join(",\n")}\n    ]`;
  const notListed = c.fixedNotListed ? `,\n    "fixedNotListed": ${c.fixedNotListed}` : "";
  return `{\n    "previous": ${JSON.stringify(c.previous)},\n    "counts": ${JSON.stringify(counts)},\n    "new": ${list(c.new)},\n    "fixed": ${list(c.fixed)}${notListed}\n  }`;
}
