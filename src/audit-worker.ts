// A worker thread of a threaded audit (src/audit-pool.ts): builds the run's auditors from the spec in
// `workerData` and answers each batch of records with their findings and problems, in order.
import { parentPort, workerData } from "node:worker_threads";
import type { BatchRequest, BatchResponse, WorkerMessage } from "./audit-pool.js";
import { auditSafely, buildAuditorFor, type AuditorSpec } from "./audit-environment.js";
import { createResultEncoder, type AuditedRecord } from "./audit-wire.js";
import { formatLocatedError } from "./util/result.js";

const port = parentPort;
if (port === null) throw new Error("audit-worker.js runs as a worker thread of audit()");

const ready = buildAuditorFor(workerData as AuditorSpec);
const encodeResults = createResultEncoder();
void ready.finally(() => port.postMessage({ ready: true } satisfies WorkerMessage));

port.on("message", (request: BatchRequest) => {
  void answer(request).then((response) => port.postMessage(response));
});

async function answer(request: BatchRequest): Promise<BatchResponse> {
  try {
    const auditorFor = await ready;
    if (!auditorFor.ok)
      return {
        seq: request.seq,
        error: `the worker could not load the auditors: ${auditorFor.errors.map(formatLocatedError).join("; ")}`,
      };
    const results = request.records.map((record): AuditedRecord => {
      const { findings, problems } = auditSafely(auditorFor.value(record), record);
      return { findings, problems };
    });
    // One JSON string crosses threads far cheaper than the object graph: structured clone rebuilds
    // findings on the main thread at about three times the cost of JSON.parse.
    return { seq: request.seq, results: encodeResults(results) };
  } catch (error) {
    return { seq: request.seq, error: (error as Error).message };
  }
}
