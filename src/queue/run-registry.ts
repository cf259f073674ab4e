// The runs a queue knows, for `runs list|show|cancel|resume`: one hash field per run in Redis, next to
// BullMQ's own keys (same prefix), holding where the run's folder is and how big it is.
import type { Redis } from "ioredis";
import { z } from "zod";
import { QUEUE_NAME } from "./connection.js";

const entrySchema = z.object({
  runId: z.string(),
  shared: z.string(),
  created: z.string(),
  shards: z.number(),
  listings: z.number(),
  cancelled: z.boolean().optional(),
  /** The producer is writing and enqueuing shards: `shards` and `listings` are those enqueued so far. */
  sharding: z.boolean().optional(),
});
export type RunEntry = z.infer<typeof entrySchema>;

/** A Redis client and the queue's key prefix. */
export interface Registry {
  client: Redis;
  prefix: string;
}

const registryKey = (registry: Registry): string => `${registry.prefix}:${QUEUE_NAME}:runs`;

export async function registerRun(registry: Registry, entry: RunEntry): Promise<void> {
  await registry.client.hset(registryKey(registry), entry.runId, JSON.stringify(entry));
}

export async function findRun(registry: Registry, runId: string): Promise<RunEntry | undefined> {
  const text = await registry.client.hget(registryKey(registry), runId);
  return text === null ? undefined : entrySchema.parse(JSON.parse(text));
}

/** Every run, oldest first. */
export async function listRuns(registry: Registry): Promise<RunEntry[]> {
  const all = await registry.client.hgetall(registryKey(registry));
  return Object.values(all)
    .map((text: string) => entrySchema.parse(JSON.parse(text)))
    .sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : 0));
}
