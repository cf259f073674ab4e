// Whether a run fails (exit 1): the one place that reads --fail-on, --max-warnings and --max-problems.
// The pipeline counts with it, the JUnit report marks failures with it and the CLI decides the exit
// status with it, so a report never calls a finding failing that the exit status lets pass.
import type { Finding, Problem, Severity } from "./model.js";
import { problemSeverity } from "./problems/catalogue.js";

/** `--fail-on` / the config's `failOn`: the lowest severity that fails the run, or `never`. */
export type FailOn = Severity | "never";

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** 0 for error, 1 for warning, 2 for info: sorts most severe first. */
export function rankSeverity(severity: Severity): number {
  return SEVERITY_RANK[severity];
}

/** Whether this finding fails the run: at or above `failOn`, unless the baseline knows it (docs/report-format.md#exit-status). */
export function findingFailsRun(finding: Pick<Finding, "severity" | "baselined">, failOn: FailOn): boolean {
  if (failOn === "never" || finding.baselined === true) return false;
  return SEVERITY_RANK[finding.severity] <= SEVERITY_RANK[failOn];
}

/**
 * Whether this problem fails the run whatever `failOn` says: the catalogue's `error` problems, a listing the
 * code failed on (`rule/crashed`, `listing/crashed`), which may hide an error.
 */
export function problemFailsRun(problem: Pick<Problem, "code">): boolean {
  return problemSeverity(problem.code) === "error";
}

/** Whether this finding counts towards `--max-warnings` (known findings do not). */
export function countsAsWarning(finding: Pick<Finding, "severity" | "baselined">): boolean {
  return finding.severity === "warning" && finding.baselined !== true;
}

/** What a finished run counted towards its verdict. */
export interface RunTally {
  /** Findings that fail the run (findingFailsRun) plus problems that do (problemFailsRun). */
  failing: number;
  /** Findings that count as warnings (countsAsWarning). */
  warnings: number;
  /** Every input problem, audited listing or not. */
  problems: number;
}

/** `--max-warnings` and `--max-problems`; undefined: no limit. */
export interface RunLimits {
  maxWarnings?: number;
  maxProblems?: number;
}

/** Why a run fails, first reason first; `passes` when nothing does. */
export type RunVerdict =
  | { kind: "passes" }
  | { kind: "failing"; count: number }
  | { kind: "too-many-warnings" | "too-many-problems"; count: number; limit: number };

/** The run's verdict: a failing finding or problem, else more warnings or problems than allowed. */
export function judgeRun(tally: RunTally, limits: RunLimits): RunVerdict {
  if (tally.failing > 0) return { kind: "failing", count: tally.failing };
  if (limits.maxWarnings !== undefined && tally.warnings > limits.maxWarnings)
    return { kind: "too-many-warnings", count: tally.warnings, limit: limits.maxWarnings };
  if (limits.maxProblems !== undefined && tally.problems > limits.maxProblems)
    return { kind: "too-many-problems", count: tally.problems, limit: limits.maxProblems };
  return { kind: "passes" };
}
