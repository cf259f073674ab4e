import { FORMAT_NAMES } from "../report/index.js";

/** `listing-audit --help`. */
export function helpText(): string {
  return `Usage:
  listing-audit [audit] <input…> [options]   audit listings (files, folders, globs, http(s) URLs; - = stdin)
  listing-audit explain <text> [--json]      show the claims, exclusions and conditions parsed from a text
  listing-audit rules [--json]               list the rules with severity, platform and docs link
  listing-audit init                         write a starter config file (listing-audit.config.yaml)

Config: listing-audit.config.yaml (.yml, .json), looked up from the current folder upwards; see
docs/config.md. Files named in .listingauditignore (next to the config or here) are not read.

Options:
  -t, --templates <path>        shipping templates file or folder (repeatable; replaces the config's templates)
  -c, --config <file>           config file (default: listing-audit.config.yaml/.yml/.json, looked up
                                from the current folder upwards)
  -p, --platform <name>         taobao (default), tmall, pinduoduo, generic
  -f, --format <name>[=<file>]  ${FORMAT_NAMES.join(", ")} (default text); repeatable;
                                =file writes that format to a file
  -o, --output <file>           the file for the one -f given without =file
      --fail-on <level>         error (default), warning, info, never
      --max-warnings <n>        also fail past n warnings
      --max-problems <n>        also fail past n input problems
      --threads <n>             worker threads for the rules past the first 200 records (default: cores
                                - 1, at most 3; 0 audits on one thread; at most 16)
      --baseline <file>         known findings: marked, and not counted towards --fail-on / --max-warnings
      --update-baseline         write every finding of this run to the --baseline file (exit 0 unless
                                input problems pass --max-problems)
      --compare <previous.json> list new, fixed and unchanged findings against a previous -f json report
      --print-config            print the effective config (presets, config file, options) and exit
      --lang <zh|en>            language of messages (default zh)
      --json                    explain, rules: print JSON
      --quiet                   nothing on stderr but errors (no progress, warnings, notes or summary)
  -h, --help                    this help
      --version                 the version

Crawling (URL inputs; polite defaults, see docs/crawling.md):
      --max-pages <n>           pages to fetch at most (default 200; 1 audits one page)
      --max-depth <n>           link depth from the start URLs (default 5)
      --concurrency <n>         requests in flight (default 4)
      --delay <ms>              pause between two requests to one host (default 250)
      --timeout <ms>            per-request timeout (default 30000)
      --user-agent <text>       User-Agent header and robots.txt agent
      --include <glob>          only follow URLs matching (repeatable)
      --exclude <glob>          never follow URLs matching (repeatable)
      --allow-host <host>       further hosts links may lead to (repeatable)
      --no-robots               ignore robots.txt
      --save-pages <folder>     keep every fetched page (audit them again offline)

Exit status:
  0  no finding at or above --fail-on and no threshold passed
  1  a finding at or above --fail-on, or more warnings / input problems than allowed
  2  the run could not be done: a bad option, an unreadable or invalid config or template file, a
     duplicate template id, an input named on the command line that is not a listing source, or
     inputs that yield no auditable record at all, an output file that is also an input, a failed write
  130 / 143  interrupted (SIGINT / SIGTERM): earlier report files are left as they were
  141  standard output closed early (… | head): the run stops quietly
`;
}
