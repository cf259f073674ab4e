// Command-line options shared by the benchmark scripts, and how a script hands its figures to run.js.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

/**
 * Parses `--scale` (a positive factor on the benchmark's default size), `--json-out` (where run.js wants
 * the figures) and the script's own options; a bad value stops with exit code 2 and a message.
 */
export function readOptions(bench, extra = {}) {
  let values;
  try {
    ({ values } = parseArgs({
      options: { scale: { type: "string", default: "1" }, "json-out": { type: "string" }, ...extra },
      strict: true,
    }));
  } catch (error) {
    fail(bench, error.message);
  }
  const scale = Number(values.scale);
  if (!(scale > 0 && Number.isFinite(scale))) fail(bench, `--scale must be a positive number, not "${values.scale}"`);
  return { ...values, scale };
}

/** `--name` as a whole number ≥ min, or the default. */
export function readCount(bench, values, name, fallback, min = 1) {
  if (values[name] === undefined) return fallback;
  const value = Number(values[name]);
  if (!(Number.isInteger(value) && value >= min))
    fail(bench, `--${name} must be a whole number ≥ ${min}, not "${values[name]}"`);
  return value;
}

/** The default size times the scale, never below `min`. */
export function scaled(base, scale, min = 1) {
  return Math.max(min, Math.round(base * scale));
}

/** Gives run.js the figures (it adds them to bench/results.json); standalone runs only print. */
export function handOver(values, entry) {
  if (values["json-out"]) writeFileSync(values["json-out"], `${JSON.stringify(entry, null, 2)}\n`);
}

/** Ends a benchmark that could not finish with its reason (no stack trace: the reason is the message). */
export function stopWith(bench, error) {
  console.error(`${bench}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

function fail(bench, message) {
  console.error(`${bench}: ${message}`);
  process.exit(2);
}
