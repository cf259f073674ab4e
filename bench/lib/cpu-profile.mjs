// Profiles one phase of a benchmark with the inspector (the same data as `node --cpu-prof`, but only
// for the phase that matters), writes the .cpuprofile and prints the functions with the most self time.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { summariseProfile } from "./profile-summary.mjs";

/** Runs `work` under the CPU profiler and writes the profile to `file`; returns what `work` returns. */
export async function profilePhase(file, work) {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  try {
    return await work();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
    console.log(`CPU profile: ${file} (open it in Chrome DevTools → Performance); most self time:`);
    for (const row of summariseProfile(file, 25)) {
      console.log(
        `  ${(row.share * 100).toFixed(1).padStart(5)} % ${String(row.selfMs).padStart(7)} ms  ${row.name}  ${row.location}`,
      );
    }
  }
}
