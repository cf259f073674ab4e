import { fingerprintFinding } from "../baseline/fingerprint.js";
import type { Finding, ListingRecord, ListingResult, Problem, Severity, SourceLocation, TextFix } from "../model.js";
import { safeLinkUrl } from "./escape-html.js";
import { baselineStatus } from "./finding-display.js";
import { reportLabels, type ReportLabels } from "./report-labels.js";
import type { Reporter, ReporterFactory, RuleDescriptor, RunInfo, TextSpool } from "./reporter.js";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
/** Names the fingerprint scheme; bump the suffix if the fingerprint recipe ever changes. */
const FINGERPRINT_KEY = "listingAuditor/v1";
const SRCROOT = "%SRCROOT%";
const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };
/** Results sit at this depth in the log, so streamed ones line up with the rest of the document. */
const RESULT_INDENT = "        ";
/** The depth of the invocation's notifications and of the run's keys. */
const NOTIFICATION_INDENT = "            ";
const RUN_KEY_INDENT = "      ";

/**
 * SARIF 2.1.0. Results stream out as listings arrive (the log is written around them); input problems
 * wait, formatted, in the run's spool for the invocation's notifications at the end. File URIs are
 * relative to %SRCROOT% (the working directory); crawled pages keep their absolute URL.
 */
export const createSarifReporter: ReporterFactory = () => {
  let labels: ReportLabels = reportLabels("zh");
  let ruleIndex = new Map<string, number>();
  let count = 0;
  let notifications: TextSpool | undefined;
  let notificationCount = 0;

  const writeResult = (result: object) => {
    const text = JSON.stringify(result, null, 2).replace(/\n/g, `\n${RESULT_INDENT}`);
    return `${count++ === 0 ? "\n" : ",\n"}${RESULT_INDENT}${text}`;
  };
  const addProblem = (problem: Problem) => {
    if (notifications === undefined) throw new Error("the SARIF reporter was given a problem before start()");
    const text = JSON.stringify(formatNotification(problem), null, 2).replace(/\n/g, `\n${NOTIFICATION_INDENT}`);
    notifications.append(`${notificationCount++ === 0 ? "\n" : ",\n"}${NOTIFICATION_INDENT}${text}`);
  };

  return {
    start(run) {
      notifications = run.spool();
      labels = reportLabels(run.lang);
      ruleIndex = new Map(run.rules.map((r, i) => [r.id, i]));
      const head = JSON.stringify(formatLogHead(run, labels), null, 2);
      // The head is a complete log with an empty results array; results are spliced in before its close.
      return head.slice(0, head.indexOf(`"results": []`) + `"results": [`.length);
    },
    listing(result: ListingResult) {
      result.problems.forEach(addProblem);
      return result.findings.map((f) => writeResult(formatResult(f, result.record, ruleIndex, labels))).join("");
    },
    problem(problem) {
      addProblem(problem);
      return "";
    },
    *end(summary) {
      // The rest of the run object, written at the depth JSON.stringify(log, null, 2) would give it.
      yield `${count > 0 ? "\n      " : ""}],\n${RUN_KEY_INDENT}"invocations": [\n        {\n          "executionSuccessful": true,\n          "toolExecutionNotifications": [`;
      if (notifications !== undefined && notificationCount > 0) {
        yield* notifications.chunks();
        yield "\n          ";
      }
      const properties = JSON.stringify({ summary }, null, 2).replace(/\n/g, `\n${RUN_KEY_INDENT}`);
      yield `]\n        }\n${RUN_KEY_INDENT}],\n${RUN_KEY_INDENT}"properties": ${properties}\n    }\n  ]\n}\n`;
    },
  } satisfies Reporter;
};

function formatLogHead(run: RunInfo, labels: ReportLabels): object {
  const informationUri = findInformationUri(run.rules);
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: run.tool.name,
            version: run.tool.version,
            semanticVersion: run.tool.version,
            ...(informationUri === undefined ? {} : { informationUri }),
            rules: run.rules.map((r) => formatRule(r, labels)),
          },
        },
        originalUriBaseIds: {
          [SRCROOT]: { description: { text: "The working directory of the run; file locations are relative to it." } },
        },
        columnKind: "utf16CodeUnits",
        results: [],
      },
    ],
  };
}

/**
 * Rule pages live at docs/rules/<name>.md beside the README, so the README next to them is the tool's
 * home page. Derived rather than configured because RunInfo carries no homepage.
 */
function findInformationUri(rules: readonly RuleDescriptor[]): string | undefined {
  const docsUrl = rules.map((r) => safeLinkUrl(r.docsUrl)).find((u) => u !== undefined);
  return docsUrl === undefined ? undefined : new URL("../../README.md", docsUrl).href;
}

function formatRule(rule: RuleDescriptor, labels: ReportLabels): object {
  const helpUri = safeLinkUrl(rule.docsUrl);
  const level = rule.severity === "off" ? rule.defaultSeverity : rule.severity;
  return {
    id: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: `${rule.description}（${labels.reference}: ${rule.reference}）` },
    help: {
      text: [rule.description, `${labels.reference}: ${rule.reference}`, ...(helpUri ? [helpUri] : [])].join("\n"),
      markdown: `${rule.description}\n\n${labels.reference}: ${rule.reference}${helpUri ? `\n\n[${rule.id}](${helpUri})` : ""}`,
    },
    ...(helpUri === undefined ? {} : { helpUri }),
    defaultConfiguration: { enabled: rule.severity !== "off", level: LEVEL[level] },
    properties: { tags: [rule.id.split("/")[0] ?? rule.id], reference: rule.reference },
  };
}

function formatResult(
  finding: Finding,
  record: ListingRecord,
  ruleIndex: ReadonlyMap<string, number>,
  labels: ReportLabels,
): object {
  const index = ruleIndex.get(finding.ruleId);
  const location = formatLocationObject(finding.source);
  const status = baselineStatus(finding);
  return {
    ruleId: finding.ruleId,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: LEVEL[finding.severity],
    message: { text: `${finding.message}\n${labels.fix}: ${finding.fix}` },
    ...(location === undefined ? {} : { locations: [location] }),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprintFinding(finding, record) },
    ...(status === undefined ? {} : { baselineState: status === "new" ? "new" : "unchanged" }),
    ...(finding.fixes && finding.fixes.length > 0 ? { fixes: finding.fixes.map(formatFix) } : {}),
    properties: {
      listingId: finding.listingId,
      ...(finding.claim
        ? {
            claim: finding.claim.text,
            field: finding.claim.field,
            ...(finding.claim.index === undefined ? {} : { skuIndex: finding.claim.index }),
          }
        : {}),
      regions: finding.regions.map((r) => ({ code: r.code, name: r.name, fee: r.fee })),
      templateId: finding.templateId,
      fix: finding.fix,
    },
  };
}

/** SARIF §3.55: one artifactChange per fix (a fix changes one field of one file), its replacements 1-based. */
function formatFix(fix: TextFix): object {
  const file = fix.replacements[0]?.file ?? "";
  return {
    description: { text: fix.description },
    artifactChanges: [
      {
        artifactLocation: { uri: toRelativeUri(file), uriBaseId: SRCROOT },
        replacements: fix.replacements.map((r) => ({
          deletedRegion: {
            startLine: r.startLine,
            startColumn: r.startColumn,
            endLine: r.endLine,
            endColumn: r.endColumn,
            charOffset: r.charOffset,
            charLength: r.charLength,
          },
          insertedContent: { text: r.text },
        })),
      },
    ],
  };
}

function formatNotification(problem: Problem): object {
  const location = formatLocationObject(problem.source);
  return {
    level: "warning",
    message: { text: problem.message },
    descriptor: { id: problem.code },
    ...(location === undefined ? {} : { locations: [location] }),
  };
}

function formatLocationObject(source: SourceLocation): object | undefined {
  const region = source.line === undefined ? {} : { region: { startLine: source.line } };
  if (source.file !== undefined) {
    return {
      physicalLocation: { artifactLocation: { uri: toRelativeUri(source.file), uriBaseId: SRCROOT }, ...region },
    };
  }
  if (source.url !== undefined) return { physicalLocation: { artifactLocation: { uri: source.url } } };
  return undefined;
}

/** A relative path as a URI reference: `/` separators, every segment percent-encoded (spaces, 中文). */
export function toRelativeUri(path: string): string {
  return path.replace(/\\/g, "/").split("/").map(encodeURIComponent).join("/");
}
