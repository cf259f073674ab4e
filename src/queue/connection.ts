// Where a distributed run's queue lives: a redis:// URL names the server, the database and (optionally)
// the key prefix, so separate teams or tests share one Redis without meeting.
import type { RedisOptions } from "bullmq";
import { Redis } from "ioredis";

/** The BullMQ queue every run and worker of this tool uses; runs are told apart by their job ids. */
export const QUEUE_NAME = "listing-audit";
/** Where each run's "sharding" job waits while its producer writes shards: no worker takes from it. */
export const SHARDING_QUEUE_NAME = "listing-audit-sharding";

export interface QueueAddress {
  connection: RedisOptions;
  /** BullMQ's key prefix (`?prefix=` in the URL; default "bull"). */
  prefix: string;
  /** The URL without its password, for messages. */
  shown: string;
}

/** Reads `redis://[user:password@]host[:port][/db][?prefix=name]`; a message when it is not one. */
export function parseQueueUrl(text: string): { ok: true; value: QueueAddress } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `not a URL: ${text}` };
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:")
    return { ok: false, message: `expected redis://host:port[/db], got ${url.protocol}` };
  const db = url.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db)) return { ok: false, message: `the database must be a number, got "${db}"` };
  const prefix = url.searchParams.get("prefix") ?? "bull";
  if (!/^[\w.-]+$/.test(prefix))
    return { ok: false, message: `the prefix may hold letters, digits, . _ -, got "${prefix}"` };
  const connection: RedisOptions = {
    host: url.hostname || "127.0.0.1",
    port: url.port === "" ? 6379 : Number(url.port),
    ...(db === "" ? {} : { db: Number(db) }),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === "rediss:" ? { tls: {} } : {}),
    // BullMQ's blocking commands must wait through a Redis restart rather than fail after 20 retries.
    maxRetriesPerRequest: null,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
  };
  const shown = `${url.protocol}//${url.host}${url.pathname}${url.search}`;
  return { ok: true, value: { connection, prefix, shown } };
}

/** A plain Redis client on the queue's server, for the run registry (BullMQ keeps its own connections). */
export function connectRedis(address: QueueAddress): Redis {
  return new Redis(address.connection);
}
