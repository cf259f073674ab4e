#!/usr/bin/env node
import { run, processIo } from "../dist/cli.js";

// Interrupted runs exit through process.exit, so the run's temporary files are removed on the way out.
process.once("SIGINT", () => process.exit(130));
process.once("SIGTERM", () => process.exit(143));

process.exitCode = await run(process.argv.slice(2), processIo());
