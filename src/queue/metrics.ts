// A worker's counts in Prometheus's text format, served over HTTP for a dashboard to scrape.
import { createServer, type Server } from "node:http";

export interface WorkerCounts {
  jobsCompleted: number;
  jobsFailed: number;
  listingsAudited: number;
  auditMs: number;
  jobsActive: number;
}

export function createCounts(): WorkerCounts {
  return { jobsCompleted: 0, jobsFailed: 0, listingsAudited: 0, auditMs: 0, jobsActive: 0 };
}

const METRICS: readonly [keyof WorkerCounts, string, "counter" | "gauge", string][] = [
  ["jobsCompleted", "listing_audit_worker_jobs_completed_total", "counter", "Shard and merge jobs completed."],
  ["jobsFailed", "listing_audit_worker_jobs_failed_total", "counter", "Job attempts that failed."],
  ["listingsAudited", "listing_audit_worker_listings_audited_total", "counter", "Listings audited."],
  ["auditMs", "listing_audit_worker_audit_milliseconds_total", "counter", "Time spent auditing shards."],
  ["jobsActive", "listing_audit_worker_jobs_active", "gauge", "Jobs being processed now."],
];

/** The counts, and the CPU this process has used (user and system, as Prometheus's process collector names it). */
export function formatPrometheus(counts: WorkerCounts, cpu: NodeJS.CpuUsage = process.cpuUsage()): string {
  const line = (name: string, type: string, help: string, value: number): string =>
    `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}\n`;
  return [
    ...METRICS.map(([key, name, type, help]) => line(name, type, help, counts[key])),
    line(
      "process_cpu_seconds_total",
      "counter",
      "CPU time of this worker process (user and system).",
      (cpu.user + cpu.system) / 1e6,
    ),
  ].join("");
}

/** Serves `/metrics` on 127.0.0.1 or the given host; resolves once listening (port 0: any free port). */
export async function serveMetrics(counts: WorkerCounts, port: number, host = "127.0.0.1"): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url !== "/metrics") {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(formatPrometheus(counts));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
