/**
 * The schema, one numbered step at a time. A data folder remembers the last step it ran
 * (`PRAGMA user_version`), so a newer server upgrades an older folder in place; steps are never edited
 * once released, only appended.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: runs, their listings, findings and problems; stored template documents.
  `
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    shop TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    platform TEXT NOT NULL,
    lang TEXT NOT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    listings INTEGER NOT NULL DEFAULT 0,
    findings INTEGER NOT NULL DEFAULT 0,
    error INTEGER NOT NULL DEFAULT 0,
    warning INTEGER NOT NULL DEFAULT 0,
    info INTEGER NOT NULL DEFAULT 0,
    problems INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    failure TEXT,
    files TEXT NOT NULL
  );
  CREATE INDEX runs_by_shop ON runs (shop, created_at);

  CREATE TABLE listings (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    listing_id TEXT NOT NULL,
    title TEXT NOT NULL,
    file TEXT,
    row INTEGER,
    error INTEGER NOT NULL,
    warning INTEGER NOT NULL,
    info INTEGER NOT NULL,
    PRIMARY KEY (run_id, seq)
  ) WITHOUT ROWID;

  CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    listing_seq INTEGER NOT NULL,
    listing_id TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    severity TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    known INTEGER NOT NULL,
    search TEXT NOT NULL,
    body TEXT NOT NULL
  );
  -- One index per filter the web app offers; each ends in id so a cursor page is an index range.
  CREATE INDEX findings_by_run ON findings (run_id, id);
  CREATE INDEX findings_by_severity ON findings (run_id, severity, id);
  CREATE INDEX findings_by_rule ON findings (run_id, rule_id, id);
  CREATE INDEX findings_by_listing ON findings (run_id, listing_id, id);
  CREATE INDEX findings_by_known ON findings (run_id, known, id);
  CREATE INDEX findings_by_fingerprint ON findings (run_id, fingerprint);

  CREATE TABLE finding_regions (
    run_id TEXT NOT NULL,
    code TEXT NOT NULL,
    finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    PRIMARY KEY (run_id, code, finding_id)
  ) WITHOUT ROWID;

  CREATE TABLE problems (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    code TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
  ) WITHOUT ROWID;

  CREATE TABLE templates (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  // 2: a trigram index of the search text, so a rare word is found without reading every finding of a
  // run; listings in the order the app shows them first (worst first), so a page need not sort the run.
  `
  CREATE INDEX listings_worst_first ON listings (run_id, error DESC, warning DESC, info DESC, seq);
  CREATE VIRTUAL TABLE finding_search USING fts5 (search, content = 'findings', content_rowid = 'id', tokenize = 'trigram');
  INSERT INTO finding_search (finding_search) VALUES ('rebuild');
  `,
  // 3: runs may wait for a slot (`queued`, started_at set when they start) and record the shop settings they
  // used; each shop's settings. SQLite cannot change a CHECK constraint in place, so runs is rebuilt (with
  // foreign keys off while migrating, so its listings and findings stay) and keeps its rowids (the order
  // of runs created in the same millisecond).
  `
  CREATE TABLE runs_next (
    id TEXT PRIMARY KEY,
    shop TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    platform TEXT NOT NULL,
    lang TEXT NOT NULL,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    listings INTEGER NOT NULL DEFAULT 0,
    findings INTEGER NOT NULL DEFAULT 0,
    error INTEGER NOT NULL DEFAULT 0,
    warning INTEGER NOT NULL DEFAULT 0,
    info INTEGER NOT NULL DEFAULT 0,
    problems INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    failure TEXT,
    files TEXT NOT NULL,
    settings TEXT
  );
  INSERT INTO runs_next (rowid, id, shop, status, platform, lang, created_at, started_at, finished_at, listings,
    findings, error, warning, info, problems, skipped, failure, files)
  SELECT rowid, id, shop, status, platform, lang, created_at, created_at, finished_at, listings,
    findings, error, warning, info, problems, skipped, failure, files FROM runs;
  DROP TABLE runs;
  ALTER TABLE runs_next RENAME TO runs;
  CREATE INDEX runs_by_shop ON runs (shop, created_at);

  CREATE TABLE shop_settings (
    shop TEXT PRIMARY KEY,
    settings TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
];
