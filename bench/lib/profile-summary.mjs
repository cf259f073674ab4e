// Reads a V8 .cpuprofile (from `node --cpu-prof`) and lists the functions with the most self time, so a
// profiled benchmark run says at once what dominates.
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./dist-library.mjs";

/** The `top` functions by self time: `{ name, location, selfMs, share }`, share of all samples. */
export function summariseProfile(file, top = 20) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  if (!Array.isArray(profile?.nodes) || !Array.isArray(profile?.samples) || !Array.isArray(profile?.timeDeltas)) {
    throw new Error(`${file} is not a V8 CPU profile (nodes, samples, timeDeltas)`);
  }
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    if (!node) continue;
    const key = describeFrame(node.callFrame);
    selfMicros.set(key, (selfMicros.get(key) ?? 0) + Math.max(0, profile.timeDeltas[i] ?? 0));
  }
  const total = [...selfMicros.values()].reduce((sum, micros) => sum + micros, 0) || 1;
  return [...selfMicros.entries()]
    .map(([key, micros]) => ({ ...JSON.parse(key), selfMs: Math.round(micros / 1000), share: micros / total }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, top);
}

function describeFrame({ functionName, url, lineNumber }) {
  const name = functionName || "(anonymous)";
  if (!url) return JSON.stringify({ name, location: "" });
  const file = url.startsWith("file://") ? path.relative(ROOT, new URL(url).pathname) : url;
  return JSON.stringify({ name, location: `${file}:${lineNumber + 1}` });
}
