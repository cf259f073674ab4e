#!/usr/bin/env node
import { runProcess } from "../dist/cli/process-run.js";

await runProcess(process.argv.slice(2));
