import { readToolInfo } from "./audit.js";
import { runAuditCommand } from "./cli/audit-command.js";
import { runExplainCommand, runInitCommand, runRulesCommand } from "./cli/commands.js";
import { helpText } from "./cli/help.js";
import { runServeCommand } from "./cli/serve-command.js";
import type { CliIo } from "./cli/io.js";
import { parseCliOptions } from "./cli/options.js";
import { runRunsCommand, runWorkerCommand } from "./cli/queue-commands.js";
import { langFromArgv } from "./cli/say.js";
import { EXIT_ERROR, EXIT_OK, setRunLang, usageError } from "./cli/shared.js";

export { processIo, type CliIo } from "./cli/io.js";

/**
 * Runs the command line and returns the exit status (0 clean, 1 findings or thresholds, 2 the run could
 * not be done). It never exits the process; bin/listing-audit.js sets the exit code.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCliOptions(argv);
  setRunLang(io, langFromArgv(argv));
  if (!parsed.ok) return usageError(io, parsed.messages);
  const options = parsed.value;
  if (options.help) {
    io.stdout.write(helpText(options.lang ?? "zh"));
    return EXIT_OK;
  }
  if (options.version) {
    io.stdout.write(`${readToolInfo().version}\n`);
    return EXIT_OK;
  }
  try {
    switch (options.command) {
      case "explain":
        return await runExplainCommand(options, io);
      case "rules":
        return await runRulesCommand(options, io);
      case "init":
        return await runInitCommand(options, io);
      case "audit":
        return await runAuditCommand(options, io);
      case "serve":
        return await runServeCommand(options, io);
      case "worker":
        return await runWorkerCommand(options, io);
      case "runs":
        return await runRunsCommand(options, io, run);
    }
  } catch (error) {
    io.stderr.write(`listing-audit: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_ERROR;
  }
}
