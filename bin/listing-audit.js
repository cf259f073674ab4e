#!/usr/bin/env node
import { run, processIo } from "../dist/cli.js";

process.exitCode = await run(process.argv.slice(2), processIo());
