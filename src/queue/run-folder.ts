// A distributed run's folder in the shared results folder: what the producer writes once (run.json first,
// the auditor spec, copies of the templates, the manifest last) and where shards and their results live. Every worker reads
// the same folder (NFS or a mounted volume), so jobs carry only a run id and a shard number.
import { cp, mkdir, readFile, stat } from "node:fs/promises";
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

const commandSchema = z.object({ argv: z.array(z.string()), cwd: z.string() });
const toolSchema = z.object({ name: z.string(), version: z.string() });

/** What a run is, written before its first shard is enqueued: what workers and `runs resume` need while it shards. */
const runStartSchema = z.object({
  runId: z.string().regex(RUN_ID_PATTERN),
  /** The tool that shards it: a worker of another version refuses its shards. */
  tool: toolSchema,
  /** The producer's command line and folder: `runs resume` runs it again. */
  command: commandSchema,
});
export type RunStart = z.infer<typeof runStartSchema>;

const manifestSchema = z.object({
  version: z.literal(1),
  runId: z.string().regex(RUN_ID_PATTERN),
  tool: toolSchema,
  created: z.string(),
  shards: z.array(shardSchema),
  command: commandSchema,
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

export async function writeRunStart(runDir: string, start: RunStart): Promise<void> {
  await writeFileAtomic(path.join(runDir, "run.json"), `${JSON.stringify(start, null, 2)}\n`);
}

/** The run as its producer started it; undefined when the producer stopped before it enqueued anything. */
export async function readRunStart(runDir: string): Promise<RunStart | undefined> {
  const text = await readOptional(path.join(runDir, "run.json"));
  return text === undefined ? undefined : runStartSchema.parse(JSON.parse(text));
}

/**
 * The manifest, written once every shard is written and enqueued: a run folder without one was cut short
 * while sharding, and its producer reads the inputs again (checking the shards already written).
 */
export async function writeManifest(runDir: string, manifest: RunManifest): Promise<void> {
  await writeFileAtomic(path.join(runDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** The run's manifest; undefined when there is none yet, an error message when it is damaged. */
export async function readManifest(runDir: string): Promise<RunManifest | undefined> {
  const text = await readOptional(path.join(runDir, "manifest.json"));
  return text === undefined ? undefined : manifestSchema.parse(JSON.parse(text));
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Where a machine-local absolute path goes under `base`: the same path, below it. */
function mirrored(base: string, absolute: string): string {
  const { root } = path.parse(absolute);
  return path.join(base, absolute.slice(root.length));
}

/**
 * Stores the spec once per run, with copies of its template files: a worker on another machine reads
 * them from the run folder. The copies keep their paths relative to the run's working folder, so the
 * file names in findings and messages are the ones a local run shows. A resumed producer keeps the spec
 * stored first (written last, so it exists only whole): workers may be reading it and its copies.
 */
export async function storeSpec(runDir: string, spec: AuditorSpec): Promise<void> {
  const specFile = path.join(runDir, "spec.json");
  if (
    await stat(specFile).then(
      () => true,
      () => false,
    )
  )
    return;
  const copies = path.join(runDir, "templates");
  for (const template of spec.templatePaths) await cp(template, mirrored(copies, template), { recursive: true });
  const stored: AuditorSpec = {
    ...spec,
    cwd: path.relative(runDir, mirrored(copies, spec.cwd)),
    templatePaths: spec.templatePaths.map((template) => path.relative(runDir, mirrored(copies, template))),
  };
  await writeFileAtomic(specFile, `${JSON.stringify(stored)}\n`);
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
