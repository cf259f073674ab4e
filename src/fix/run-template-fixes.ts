import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { ListingResult, ShippingTemplate } from "../model.js";
import { loadTemplateFiles } from "../templates/load-templates.js";
import { writeFileAtomic } from "../util/atomic-file.js";
import { decodeFileText } from "../util/text-encoding.js";
import type { FixContext } from "./fix-context.js";
import type { FixRunOptions, FixRunReport } from "./run-fixes.js";
import { planTemplateFixes } from "./template-fixes.js";
import { freeRegionsAsYaml, freeRegionsInYaml, type TemplateEdit } from "./writers/template-writer.js";

/**
 * `--fix-strategy template`: makes the charged regions free in the templates the findings name. A template
 * of our YAML is corrected in its own file; one from any other file (Taobao Open Platform JSON, our format
 * as JSON) becomes our YAML in `<name>.fixed.yaml` next to it.
 */
export async function runTemplateFixes(
  results: readonly ListingResult[],
  templatePaths: readonly string[],
  context: FixContext,
  options: FixRunOptions,
): Promise<FixRunReport> {
  const plan = planTemplateFixes(
    results.flatMap((r) => r.findings),
    context.data,
    options.rules,
  );
  const report: FixRunReport = { files: [], fixed: 0, refused: plan.refused, diff: "" };
  const loaded = await loadTemplateFiles(templatePaths, context.wording.regions, options.cwd);
  const byFile = new Map<string, ShippingTemplate[]>();
  for (const template of loaded.ok ? loaded.value.templates.values() : [])
    if (plan.free.has(template.id) && template.source.file !== undefined)
      byFile.set(template.source.file, [...(byFile.get(template.source.file) ?? []), template]);
  const found = new Set([...byFile.values()].flat().map((t) => t.id));
  for (const [id, rules] of plan.fixed)
    if (!found.has(id))
      for (const ruleId of rules)
        report.refused.push({ ruleId, listingId: "", reason: "no-template", data: { template: id } });
  const { notes, lang } = { notes: context.data.templateNotes, lang: options.lang };
  for (const [file, templates] of byFile) {
    const absolute = path.resolve(options.cwd, file);
    const inPlace = templates.every((t) => t.format === "listing-auditor") && /\.ya?ml$/i.test(file);
    const edit: TemplateEdit = inPlace
      ? freeRegionsInYaml(decodeFileText(await readFile(absolute)), plan.free, context.wording.regions, notes, lang)
      : freeRegionsAsYaml(templates, plan.free, context.wording.regions, notes, lang, file);
    for (const id of edit.changed) report.fixed += plan.fixed.get(id)?.length ?? 0;
    for (const id of edit.refused)
      for (const ruleId of plan.fixed.get(id) ?? [])
        report.refused.push({ ruleId, listingId: "", reason: "template-group", data: { template: id } });
    if (edit.changed.length === 0) continue;
    const name = inPlace ? file : file.replace(/(\.[^./\\]+)?$/, ".fixed.yaml");
    report.diff += `--- ${file}\n+++ ${name}\n${edit.text}`;
    if (options.dryRun) {
      report.files.push({ file: name, edits: edit.changed.length });
      continue;
    }
    const target =
      options.outputDir === undefined
        ? path.resolve(options.cwd, name)
        : path.resolve(options.cwd, options.outputDir, path.relative(options.cwd, path.resolve(options.cwd, name)));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFileAtomic(target, edit.text);
    report.files.push({ file, written: path.relative(options.cwd, target) || target, edits: edit.changed.length });
  }
  return report;
}
