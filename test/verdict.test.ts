import { describe, expect, it } from "vitest";
import { SEVERITIES, type Severity } from "../src/model.js";
import { FAIL_ON_LEVELS } from "../src/config/index.js";
import {
  countsAsWarning,
  type FailOn,
  findingFailsRun,
  judgeRun,
  problemFailsRun,
  type RunTally,
  rankSeverity,
} from "../src/verdict.js";

// What fails at each --fail-on level, written out as the docs state it (docs/usage.md, exit status 1).
const FAILING: Record<FailOn, readonly Severity[]> = {
  error: ["error"],
  warning: ["error", "warning"],
  info: ["error", "warning", "info"],
  never: [],
};

describe("whether a finding fails the run", () => {
  const cases = FAIL_ON_LEVELS.flatMap((failOn) =>
    SEVERITIES.flatMap((severity) => [undefined, false, true].map((baselined) => ({ failOn, severity, baselined }))),
  );

  it.each(cases)("--fail-on $failOn, a $severity finding, baselined: $baselined", ({ failOn, severity, baselined }) => {
    const finding = { severity, ...(baselined === undefined ? {} : { baselined }) };
    expect(findingFailsRun(finding, failOn)).toBe(baselined !== true && FAILING[failOn].includes(severity));
    expect(countsAsWarning(finding)).toBe(baselined !== true && severity === "warning");
  });

  it("every --fail-on level is covered, and severities rank most severe first", () => {
    expect(Object.keys(FAILING).sort()).toEqual([...FAIL_ON_LEVELS].sort());
    expect([...SEVERITIES].sort((a, b) => rankSeverity(a) - rankSeverity(b))).toEqual(["error", "warning", "info"]);
  });

  it("a listing the code failed on fails the run; other problems do not", () => {
    expect(problemFailsRun({ code: "rule/crashed" })).toBe(true);
    expect(problemFailsRun({ code: "listing/crashed" })).toBe(true);
    expect(problemFailsRun({ code: "listing/invalid-field" })).toBe(false);
    expect(problemFailsRun({ code: "csv/undecodable" })).toBe(false);
  });
});

describe("the run's verdict", () => {
  const tally = (t: Partial<RunTally>): RunTally => ({ failing: 0, warnings: 0, problems: 0, ...t });

  it.each([
    { tally: tally({}), limits: {}, kind: "passes" },
    { tally: tally({ warnings: 9, problems: 9 }), limits: {}, kind: "passes" },
    { tally: tally({ failing: 1 }), limits: {}, kind: "failing" },
    { tally: tally({ failing: 1, warnings: 5 }), limits: { maxWarnings: 0 }, kind: "failing" },
    { tally: tally({ warnings: 3 }), limits: { maxWarnings: 3 }, kind: "passes" },
    { tally: tally({ warnings: 4 }), limits: { maxWarnings: 3 }, kind: "too-many-warnings" },
    {
      tally: tally({ warnings: 4, problems: 4 }),
      limits: { maxWarnings: 3, maxProblems: 3 },
      kind: "too-many-warnings",
    },
    { tally: tally({ problems: 1 }), limits: { maxProblems: 0 }, kind: "too-many-problems" },
    { tally: tally({ problems: 1 }), limits: { maxProblems: 1 }, kind: "passes" },
  ])("$tally with $limits: $kind", ({ tally, limits, kind }) => {
    expect(judgeRun(tally, limits).kind).toBe(kind);
  });

  it("names the count and the limit that were passed", () => {
    expect(judgeRun(tally({ warnings: 4 }), { maxWarnings: 3 })).toEqual({
      kind: "too-many-warnings",
      count: 4,
      limit: 3,
    });
    expect(judgeRun(tally({ problems: 2 }), { maxProblems: 0 })).toEqual({
      kind: "too-many-problems",
      count: 2,
      limit: 0,
    });
  });
});
