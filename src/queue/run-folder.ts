// A distributed run's folder in the shared results folder: what the producer writes once (manifest,
// auditor spec, copies of the templates) and where shards and their results live. Every worker reads
// the same folder (NFS or a mounted volume), so jobs carry only a run id and a shard number.
import { cp, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { AuditorSpec } from "../audit-environment.js";
import { writeFileAtomic } from "../util/atomic-file.js";

/** Run ids name folders and job ids: letters, digits, `.`, `_` and `-`. */
export const RUN_ID_PATTERN = /^[\w.-]{1,80}$/;

const shardSchema = z.object({
  /** Source items in the shard (listings and reader problems). */
  items: z.number().int().nonnegative(),
  /** Listings in the shard: the lines of its results file. */
  listings: z.number().int().nonnegative(),
});
export type ShardInfo = z.infer<typeof shardSchema>;

const manifestSchema = z.object({
  version: z.literal(1),
  runId: z.string().regex(RUN_ID_PATTERN),
  tool: z.object({ name: z.string(), version: z.string() }),
  created: z.string(),
  shards: z.array(shardSchema),
  /** The producer's command line and folder: `runs resume` runs it again. */
  command: z.object({ argv: z.array(z.string()), cwd: z.string() }),
});
export type RunManifest = z.infer<typeof manifestSchema>;

export function runFolder(shared: string, runId: string): string {
  return path.join(shared, runId);
}

const pad = (index: number): string => String(index).padStart(6, "0");

export function shardFile(runDir: string, index: number): string {
  return path.join(runDir, "shards", `${pad(index)}.ndjson`);
}

export function resultFile(runDir: string, index: number): string {
  return path.join(runDir, "results", `${pad(index)}.ndjson`);
}

export async function prepareRunFolder(runDir: string): Promise<void> {
  await mkdir(path.join(runDir, "shards"), { recursive: true });
  await mkdir(path.join(runDir, "results"), { recursive: true });
}

/** The manifest, written last: a run folder without one was cut short while sharding and is sharded again. */
export async function writeManifest(runDir: string, manifest: RunManifest): Promise<void> {
  await writeFileAtomic(path.join(runDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** The run's manifest; undefined when there is none yet, an error message when it is damaged. */
export async function readManifest(runDir: string): Promise<RunManifest | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(runDir, "manifest.json"), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return manifestSchema.parse(JSON.parse(text));
}

/** Where a machine-local absolute path goes under `base`: the same path, below it. */
function mirrored(base: string, absolute: string): string {
  const { root } = path.parse(absolute);
  return path.join(base, absolute.slice(root.length));
}

/**
 * Stores the spec once per run, with copies of its template files: a worker on another machine reads
 * them from the run folder. The copies keep their paths relative to the run's working folder, so the
 * file names in findings and messages are the ones a local run shows.
 */
export async function storeSpec(runDir: string, spec: AuditorSpec): Promise<void> {
  const copies = path.join(runDir, "templates");
  for (const template of spec.templatePaths) await cp(template, mirrored(copies, template), { recursive: true });
  const stored: AuditorSpec = {
    ...spec,
    cwd: path.relative(runDir, mirrored(copies, spec.cwd)),
    templatePaths: spec.templatePaths.map((template) => path.relative(runDir, mirrored(copies, template))),
  };
  await writeFileAtomic(path.join(runDir, "spec.json"), `${JSON.stringify(stored)}\n`);
}

/** The stored spec with its paths pointing into this machine's view of the run folder. */
export async function loadSpec(runDir: string): Promise<AuditorSpec> {
  // Written by storeSpec of the same tool version (the worker checks the manifest's version first).
  const stored = JSON.parse(await readFile(path.join(runDir, "spec.json"), "utf8")) as AuditorSpec;
  return {
    ...stored,
    cwd: path.resolve(runDir, stored.cwd),
    templatePaths: stored.templatePaths.map((template) => path.resolve(runDir, template)),
  };
}
