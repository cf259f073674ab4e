import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseCliOptions } from "../src/cli/options.js";
import { planOutputs } from "../src/cli/outputs.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const DOC = await readFile(path.join(ROOT, "docs/ci.md"), "utf8");
const yamlBlocks = [...DOC.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => parse(m[1]!) as Record<string, unknown>);

/** `npx listing-audit a b -f x` → the argv listing-audit receives. */
function argvOf(command: string): string[] {
  const words = command.trim().split(/\s+/);
  return words.slice(words.indexOf("listing-audit") + 1);
}

/** The files a command writes, as the CLI plans them. */
function filesWritten(command: string): string[] {
  const parsed = parseCliOptions(argvOf(command));
  if (!parsed.ok) throw new Error(parsed.messages.map((m) => m.en).join("\n"));
  const plan = planOutputs(parsed.value.formats, parsed.value.output);
  if (!plan.ok) throw new Error(plan.message);
  return plan.value.flatMap((t) => (t.file ? [t.file] : []));
}

describe("docs/ci.md", () => {
  it("the GitHub workflow's audit command parses and writes what the later steps upload", () => {
    // biome-ignore lint/suspicious/noExplicitAny: the workflow YAML is read as untyped data
    const workflow = yamlBlocks.find((b) => "jobs" in b) as { jobs: { audit: { steps: Array<Record<string, any>> } } };
    const steps = workflow.jobs.audit.steps;
    const audit = steps.find((s) => typeof s.run === "string" && s.run.includes("listing-audit"))!;
    const written = filesWritten(audit.run);
    expect(written).toEqual([
      "listing-audit.sarif",
      "listing-audit.junit.xml",
      "listing-audit.md",
      "listing-audit.html",
    ]);
    const sarif = steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
    expect(written).toContain(sarif?.with.sarif_file);
    const junit = steps.find((s) => s.uses?.startsWith("dorny/test-reporter@"));
    expect(written).toContain(junit?.with.path);
    const artifact = steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(String(artifact?.with.path).trim().split("\n")).toEqual(written);
    expect(parseCliOptions(argvOf(audit.run)).ok && parseCliOptions(argvOf(audit.run))).toMatchObject({
      value: { baseline: ".listing-audit-baseline.json" },
    });
  });

  it("the GitLab job's command parses and writes its JUnit report and artifacts", () => {
    const job = yamlBlocks.find((b) => "listing-audit" in b)!["listing-audit"] as {
      script: string[];
      artifacts: { paths: string[]; reports: { junit: string } };
    };
    const command = job.script.find((s) => s.includes("listing-audit"))!;
    const written = filesWritten(command);
    expect(written).toContain(job.artifacts.reports.junit);
    expect(job.artifacts.paths.toSorted()).toEqual(written.toSorted());
  });

  it("the shell examples parse", () => {
    const commands = [...DOC.matchAll(/^```\n([\s\S]*?)^```$/gm)].flatMap((m) =>
      m[1]!.split("\n").filter((l) => l.startsWith("listing-audit ")),
    );
    expect(commands.length).toBeGreaterThanOrEqual(2);
    for (const command of commands) expect(parseCliOptions(argvOf(command)).ok, command).toBe(true);
  });
});
