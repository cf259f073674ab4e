// The machine a benchmark ran on: printed with every result and stored with it in bench/results.json,
// because figures mean nothing without it (and the load average says whether the machine was busy).
import os from "node:os";

const MB = 1024 * 1024;

/** CPU model, cores, Node version, memory and load, as plain data. */
export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    node: process.version,
    os: `${os.platform()} ${os.release()}`,
    totalMemoryMB: Math.round(os.totalmem() / MB),
    freeMemoryMB: Math.round(os.freemem() / MB),
    loadAverage: os.loadavg().map((load) => Number(load.toFixed(2))),
  };
}

/** One line for the console. */
export function formatMachine(machine) {
  return `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.freeMemoryMB} of ${machine.totalMemoryMB} MB free, load ${machine.loadAverage.join(" ")} (${machine.os})`;
}
