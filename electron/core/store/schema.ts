/**
 * The run database's schema, as ordered migrations. Migration N takes a database at user_version
 * N−1 to N inside one transaction; a released migration is never edited, only followed by a new one.
 *
 * Layout, and why (figures from test/bench/store-bench.ts, 1,000,000 results):
 *
 * - Writing: 89,900 results/s through the writer thread (result-writer.ts, writer-thread.ts) on
 *   the 2-core build machine at load average ~1.5, against 50,700/s writing on the calling thread
 *   in the same run and 28,000/s (38,500 per CPU-second) with version 1 and no writer thread. A
 *   row costs ~6.5 µs of the calling thread (its batch encoded, its details compressed) and
 *   ~9.5 µs of the writer thread, ~85% of that in SQLite: the row itself and each full index ~1.2 µs
 *   (B-tree search and page splits), commits and checkpoints ~10%. The writer thread is the bound:
 *   two idle cores would take ~105,000/s. While 20,000 results/s are written, the main thread's
 *   event-loop delay stays at p99 9.5 ms (20.8 ms writing on the calling thread). 447 MB per
 *   1,000,000 results, input URLs included (526 MB in version 1).
 *
 * - runs.key is a small integer alias of the run's text id. Result rows and every index entry carry
 *   it instead of a 36-character UUID: about 35 bytes less per row and per index entry.
 * - results.rid = run key × 2^32 + result id, the rowid (result_blocks.bid likewise, with the
 *   block's sequence number in the run). A run's results are one contiguous rowid
 *   range in id order, so "page by id", getResult and resume's "which ids are done" are rowid
 *   lookups, and every secondary index (run, x) ends in rid: within equal x, index order is id
 *   order, which is exactly the tables' tiebreak. A rowid table rather than WITHOUT ROWID: secondary
 *   indexes then carry an 8-byte rid instead of the composite key.
 * - result_blocks holds what only the detail panel and exports read (attempts, redirects, headers,
 *   the timing phases the table does not show), for up to 200 results written together, as one
 *   Brotli-compressed JSON array (see result-blocks.ts); results.block/slot say where a result's
 *   detail is. ~10× smaller than a JSON column per row, and it keeps results rows ~250 bytes, so
 *   scans for search and unindexed sorts read a quarter of the pages.
 * - results.status is 0 for "no response", as in CompactResults: filters and sorts need no NULL
 *   special case. final_url is NULL when it equals url (most rows), which saves a URL per row.
 * - results.host is a hosts.id (version 2): the host index holds a 1–2-byte integer instead of a
 *   ~30-byte name, which made that index the costliest of the five to maintain. Rows ~60 bytes
 *   smaller; filters resolve names to ids first, sorts and menus read names back by id.
 * - Indexes: one per filter menu (ok, status, error_code, host; depth since version 4), each
 *   ending in rid so "filter, then page by id" is an index range, and each append-mostly as
 *   results arrive (a handful of insertion points per batch). Each full index costs ~1.2 µs of every insert, so
 *   error_code's covers failed results only (the ok ones have none): ~10% off the writer's time.
 *   An index ordered by total_ms takes inserts all over the file: over a 1,000,000-row run it
 *   dirtied ~900 pages per 1,000-row batch and halved the write rate. So the one such index is
 *   partial, over failed results only (~10% of rows): "failures, slowest first" is a direct index
 *   walk; "successes, slowest first" is sorted once and cached (result-queries.ts).
 * - run_urls is the input list (resume fetches ids with no result): small rows, keyed (run, id),
 *   WITHOUT ROWID so the key is the table. A spider adds the URLs it finds as it goes, with their
 *   depth and the id of the page they were found on (version 3), so a resume continues its frontier.
 */

/** PRAGMA application_id of a Crawlboard run database: "CrBd". */
export const APPLICATION_ID = 0x43724264

export interface Migration {
  /** The user_version this migration produces. */
  readonly version: number
  readonly description: string
  readonly sql: string
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'runs, input URLs, results with details, query indexes',
    sql: `
      CREATE TABLE runs (
        key INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        config TEXT NOT NULL,
        state TEXT NOT NULL,
        created_at REAL NOT NULL,
        started_at REAL,
        finished_at REAL,
        updated_at REAL NOT NULL,
        total INTEGER NOT NULL,
        summary TEXT,
        stats TEXT,
        series TEXT,
        settings TEXT,
        marks TEXT NOT NULL DEFAULT '[]',
        flags TEXT NOT NULL DEFAULT '{}',
        paused INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX runs_created ON runs (created_at);

      CREATE TABLE run_urls (
        run INTEGER NOT NULL REFERENCES runs (key) ON DELETE CASCADE,
        id INTEGER NOT NULL,
        url TEXT NOT NULL,
        PRIMARY KEY (run, id)
      ) WITHOUT ROWID;

      CREATE TABLE results (
        rid INTEGER PRIMARY KEY,
        run INTEGER NOT NULL REFERENCES runs (key) ON DELETE CASCADE,
        id INTEGER NOT NULL,
        url TEXT NOT NULL,
        final_url TEXT,
        host TEXT NOT NULL,
        status INTEGER NOT NULL,
        ok INTEGER NOT NULL,
        error_code TEXT,
        error_phase TEXT,
        error_message TEXT,
        attempts INTEGER NOT NULL,
        block INTEGER NOT NULL,
        slot INTEGER NOT NULL,
        total_ms REAL,
        ttfb_ms REAL,
        bytes INTEGER NOT NULL,
        content_type TEXT,
        title TEXT,
        started_at REAL NOT NULL,
        finished_at REAL NOT NULL
      );
      CREATE INDEX results_ok ON results (run, ok);
      CREATE INDEX results_status ON results (run, status);
      CREATE INDEX results_error ON results (run, error_code);
      CREATE INDEX results_host ON results (run, host);
      CREATE INDEX results_failed_total ON results (run, total_ms DESC) WHERE ok = 0;

      CREATE TABLE result_blocks (
        bid INTEGER PRIMARY KEY,
        run INTEGER NOT NULL REFERENCES runs (key) ON DELETE CASCADE,
        codec TEXT NOT NULL,
        count INTEGER NOT NULL,
        data BLOB NOT NULL
      );

      -- Fixed planner statistics, describing "one run is large": the planner then pages a run by
      -- rowid range, and uses a filter's index only when the filter is selective. Measured
      -- statistics would describe the average run, which misleads it exactly for the large runs
      -- that matter; so the store never runs ANALYZE or PRAGMA optimize over these.
      ANALYZE sqlite_schema;
      INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
        ('results', NULL, '1000000'),
        ('results', 'results_ok', '1000000 1000000 500000'),
        ('results', 'results_failed_total', '100000 100000 1'),
        ('results', 'results_status', '1000000 1000000 100000'),
        ('results', 'results_error', '1000000 1000000 50000'),
        ('results', 'results_host', '1000000 1000000 20000');
      ANALYZE sqlite_schema;
    `
  },
  {
    version: 2,
    description: 'host names in their own table, results carry the host id; depth and found_on',
    // The results table is rebuilt (SQLite cannot change a column's type in place): rows copied in
    // rowid order with the host's id, then the indexes built once over the copy, then the old
    // table's pages handed back to the file system (else the file would keep both). Measured on a
    // version-1 file of 1,000,000 results: 9.4 s once, and 518 MB before, 445 MB after (7.1 s
    // without giving the space back, and 746 MB). Statistics as in version 1. The same
    // rebuild adds a spider's link depth and the id of the page a URL was found on (version-1 runs
    // were lists: depth 0, found on none), so they need no second rebuild later, and makes
    // results_error partial: only failed results have an error code, so ok ones (~90%) cost it
    // no insert (~10% of the writer thread's time a row).
    sql: `
      CREATE TABLE hosts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
      );
      INSERT INTO hosts (name) SELECT DISTINCT host FROM results ORDER BY host;

      CREATE TABLE results_v2 (
        rid INTEGER PRIMARY KEY,
        run INTEGER NOT NULL REFERENCES runs (key) ON DELETE CASCADE,
        id INTEGER NOT NULL,
        url TEXT NOT NULL,
        final_url TEXT,
        host INTEGER NOT NULL,
        status INTEGER NOT NULL,
        ok INTEGER NOT NULL,
        error_code TEXT,
        error_phase TEXT,
        error_message TEXT,
        attempts INTEGER NOT NULL,
        block INTEGER NOT NULL,
        slot INTEGER NOT NULL,
        total_ms REAL,
        ttfb_ms REAL,
        bytes INTEGER NOT NULL,
        content_type TEXT,
        title TEXT,
        started_at REAL NOT NULL,
        finished_at REAL NOT NULL,
        depth INTEGER NOT NULL DEFAULT 0,
        found_on INTEGER
      );
      INSERT INTO results_v2
        SELECT r.rid, r.run, r.id, r.url, r.final_url, h.id, r.status, r.ok, r.error_code,
          r.error_phase, r.error_message, r.attempts, r.block, r.slot, r.total_ms, r.ttfb_ms,
          r.bytes, r.content_type, r.title, r.started_at, r.finished_at, 0, NULL
        FROM results r JOIN hosts h ON h.name = r.host ORDER BY r.rid;
      DROP TABLE results;
      ALTER TABLE results_v2 RENAME TO results;
      CREATE INDEX results_ok ON results (run, ok);
      CREATE INDEX results_status ON results (run, status);
      CREATE INDEX results_error ON results (run, error_code) WHERE error_code IS NOT NULL;
      CREATE INDEX results_host ON results (run, host);
      CREATE INDEX results_failed_total ON results (run, total_ms DESC) WHERE ok = 0;

      DELETE FROM sqlite_stat1 WHERE tbl = 'results';
      INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
        ('results', NULL, '1000000'),
        ('results', 'results_ok', '1000000 1000000 500000'),
        ('results', 'results_failed_total', '100000 100000 1'),
        ('results', 'results_status', '1000000 1000000 100000'),
        ('results', 'results_error', '100000 100000 10000'),
        ('results', 'results_host', '1000000 1000000 20000');
      ANALYZE sqlite_schema;
      PRAGMA incremental_vacuum;
    `
  },
  {
    version: 3,
    description: 'run_urls carry the depth and found-on page of URLs a spider found',
    // A resumed spider run continues its frontier: the URLs it found but had not fetched keep their
    // depth (so the depth limit still applies) and the page they were found on (the "found via"
    // path). Seeds and list URLs are depth 0, found on none. ADD COLUMN with a constant default
    // rewrites nothing.
    sql: `
      ALTER TABLE run_urls ADD COLUMN depth INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE run_urls ADD COLUMN found_on INTEGER;
    `
  },
  {
    version: 4,
    description: "an index on results by link depth, for the tables' depth filter and sort",
    // Depth is a filter menu like status, error code and host, and a sort with few values and huge
    // ties, so it gets what they have: a (run, depth) index ending in rid. Measured on 1,000,000
    // rows of a breadth-first crawl (7 depths, node:sqlite, the shared 2-core machine): the depth
    // menu's GROUP BY 132 ms instead of 515 ms (a scan of every row), the count of one depth 1 ms
    // instead of 191 ms, and a sort by depth pages each depth group in id order on the index
    // (result-queries.ts, grouped) instead of sorting the whole run (650 ms, again after every
    // batch of a live run). A crawl fills its depths breadth-first, and a list run is all depth 0,
    // so inserts land at the end of one or two depth groups: append-mostly, like the other indexes
    // (1,000,000 inserts with and without it took the same time within noise: 14.0 vs 14.4 µs a
    // row). Building it on an existing 1,000,000-row file: 0.7 s once, +14 MB.
    sql: `
      CREATE INDEX results_depth ON results (run, depth);
      INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('results', 'results_depth', '1000000 1000000 100000');
      ANALYZE sqlite_schema;
    `
  },
  {
    version: 5,
    description: "a run's decision log, traps, sitemap problems, robots.txt statuses and frontier series",
    // One JSON value per run, rewritten with the counts (RunSession.save, about once a second): its
    // lists are bounded (1,000 decisions, 500 traps, 200 notices, 2,000 samples), so it stays small.
    sql: `
      ALTER TABLE runs ADD COLUMN spider TEXT;
    `
  },
  {
    version: 6,
    description: 'the owner record of a run a live process drives, its heartbeat, and why it was interrupted',
    // Which process drives a run was a number in flags (ownerPid), checked with kill(pid, 0) alone:
    // a reused pid kept a dead run "running elsewhere" for good, and two processes could both
    // decide a run was theirs. Now a run carries its owner (pid, host, a token of the claim, when
    // that process started) in its own column, claimed by compare-and-set (RunStore.claimRun),
    // with a heartbeat the owner writes about every second (run/owner.ts says how they are read).
    // `interruption` says why a run stopped going without ending (a signal, the app quitting, the
    // runner's failure safeguard), for History and `runs`. Old ownerPid flags move over, their
    // heartbeat the record's last save.
    sql: `
      ALTER TABLE runs ADD COLUMN owner TEXT;
      ALTER TABLE runs ADD COLUMN heartbeat_at REAL;
      ALTER TABLE runs ADD COLUMN interruption TEXT;
      UPDATE runs
        SET owner = json_object('pid', json_extract(flags, '$.ownerPid'), 'host', NULL, 'token', 'legacy',
              'startedAt', NULL),
            heartbeat_at = updated_at
        WHERE json_type(flags, '$.ownerPid') = 'integer' AND state NOT IN ('completed', 'cancelled');
      UPDATE runs SET flags = json_remove(flags, '$.ownerPid') WHERE json_type(flags, '$.ownerPid') IS NOT NULL;
    `
  },
  {
    version: 7,
    description: "a trigram index for the tables' text search, and the rid range of each detail block",
    // The search box (a substring of URL, final URL, title or error message, ASCII letters in any
    // case) scanned every row of a run: ~480 ms over 1,000,000 results. Now an FTS5 trigram index
    // narrows it to a few row ranges first (search-index.ts says how, and why the rows found are
    // still checked with LIKE). result_blocks gains the range of rids its rows span (lo, hi): the
    // index is built block by block after the rows are written, and a search scans the blocks not
    // indexed yet by these ranges. Existing blocks get their ranges here (one GROUP BY over
    // results); their rows are indexed later, like new ones, so this migration stays short.
    sql: `
      ALTER TABLE result_blocks ADD COLUMN lo INTEGER;
      ALTER TABLE result_blocks ADD COLUMN hi INTEGER;
      UPDATE result_blocks SET lo = s.lo, hi = s.hi
        FROM (SELECT block, min(rid) AS lo, max(rid) AS hi FROM results GROUP BY block) AS s
        WHERE s.block = result_blocks.bid;

      CREATE VIRTUAL TABLE result_search USING fts5 (
        text, tokenize = 'trigram', detail = none, content = '', contentless_delete = 1
      );
      CREATE TABLE search_docs (
        doc INTEGER PRIMARY KEY,
        lo INTEGER NOT NULL,
        hi INTEGER NOT NULL
      );
      CREATE TABLE search_progress (
        run INTEGER PRIMARY KEY REFERENCES runs (key) ON DELETE CASCADE,
        block INTEGER NOT NULL
      );
    `
  }
]

export const SCHEMA_VERSION = MIGRATIONS.length

/** Tables a current database must have (a damaged or half-written one lacks some). */
export const REQUIRED_TABLES = ['runs', 'run_urls', 'results', 'result_blocks'] as const

/** Results of one run live at rids [runKey × RID_SPAN, runKey × RID_SPAN + RID_SPAN). */
export const RID_SPAN = 2 ** 32

export function ridOf(runKey: number, id: number): number {
  return runKey * RID_SPAN + id
}
