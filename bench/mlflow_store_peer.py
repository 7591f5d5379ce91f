#!/usr/bin/python3
"""The peer of the store benchmark's write figures: MLflow's tracking schema
and the SQL that MLflow's SqlAlchemyStore.log_batch issues for a batch of
metrics, written with Python's sqlite3 and psycopg2 (Debian's
python3-psycopg2) instead of SQLAlchemy.

  mlflow_store_peer.py batch  URI [REPEATS] [--wal]   log_batch of one 1,000-point batch
  mlflow_store_peer.py points URI [BATCHES] [--wal]   BATCHES batches of 1,000 points

--wal (SQLite): journal_mode=WAL and synchronous=NORMAL, mlpipe's settings,
instead of MLflow's defaults (rollback journal, synchronous=FULL), to separate
the cost of the schema and the statements from that of durability.

URI is a SQLite path or a postgresql:// URI; "pg" means
$MLPIPE_TEST_POSTGRES_URI (scripts/with_postgres.sh sets it; the tables go to a
schema "mlflow" of their own, beside mlpipe's, made anew by every run). A
SQLite file is made anew too. The batches are store_bench's:
point i of batch r is key m{i % 20}, value 0.001 i, step 50 r + i / 20, into one
run. Prints one JSON object; times are seconds, CPU is user + system of this
process (client) and, on PostgreSQL, of every server process (server; its pid
from $MLPIPE_TEST_POSTGRES_PID).

Reproduced, from MLflow 3's mlflow/store/tracking/dbmodels/models.py,
sqlalchemy_store.py and db/utils.py (and the schema its alembic migrations
leave, tests/db/schemas/{sqlite,postgresql}.sql):
  - the tables experiments, runs, metrics and latest_metrics as MLflow defines
    them: metrics' primary key (key, timestamp, step, run_uuid, value, is_nan)
    and its indexes on run_uuid and on (run_uuid, key, step); latest_metrics'
    primary key (key, run_uuid) and its index on run_uuid; the foreign keys to
    runs (enforced on SQLite, where MLflow turns them on per session);
  - log_batch(run, metrics=[1,000], params=[], tags=[]): a session that reads
    the run and checks it is active; inside it _log_metrics on a second
    connection (the session pool hands out another): PRAGMAs (SQLite), read
    the run again and check it, INSERT every point (SQLAlchemy 2 flushes them
    as psycopg2 multi-row VALUES pages of 1,000 rows, as one executemany on
    sqlite3), then _update_latest_metrics_if_necessary: the run's existing
    latest_metrics keys among the batch's keys (in chunks of 500 keys, as
    MLflow chunks them), those rows again with FOR UPDATE (PostgreSQL), the
    comparison by (step, timestamp, value) in Python, one UPDATE per changed
    key (an executemany), an INSERT of new keys, COMMIT; _log_model_metrics'
    empty session (PRAGMAs only, SQLite); the outer session's COMMIT;
  - MLflow's defaults: SQLite in its default rollback-journal mode (MLflow sets
    no journal_mode or synchronous), timestamps in milliseconds.
Not reproduced: SQLAlchemy's ORM (mapping, unit of work, identity map) and
MLflow's entity objects and per-metric validation in Python, the REST layer of
a tracking server, the pool's pre-ping. Each of these adds to MLflow's cost, so
these figures are a lower bound of what MLflow itself takes for the same
writes."""
import json
import os
import statistics
import sys
import time
import uuid

KEYS_PER_BATCH = 20
BATCH = 1000

SCHEMA_SQLITE = """
CREATE TABLE experiments (
  experiment_id INTEGER NOT NULL, name VARCHAR(256) NOT NULL,
  artifact_location VARCHAR(256), lifecycle_stage VARCHAR(32), creation_time BIGINT,
  last_update_time BIGINT, workspace VARCHAR(63) DEFAULT 'default' NOT NULL,
  CONSTRAINT experiment_pk PRIMARY KEY (experiment_id),
  CONSTRAINT uq_experiments_workspace_name UNIQUE (workspace, name),
  CONSTRAINT experiments_lifecycle_stage CHECK (lifecycle_stage IN ('active', 'deleted')));
CREATE TABLE runs (
  run_uuid VARCHAR(32) NOT NULL, name VARCHAR(250), source_type VARCHAR(20),
  source_name VARCHAR(500), entry_point_name VARCHAR(50), user_id VARCHAR(256),
  status VARCHAR(9), start_time BIGINT, end_time BIGINT, source_version VARCHAR(50),
  lifecycle_stage VARCHAR(20), artifact_uri VARCHAR(200), experiment_id INTEGER,
  deleted_time BIGINT,
  CONSTRAINT run_pk PRIMARY KEY (run_uuid),
  FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id),
  CONSTRAINT runs_lifecycle_stage CHECK (lifecycle_stage IN ('active', 'deleted')),
  CONSTRAINT source_type CHECK (source_type IN ('NOTEBOOK', 'JOB', 'LOCAL', 'UNKNOWN', 'PROJECT')),
  CHECK (status IN ('SCHEDULED', 'FAILED', 'FINISHED', 'RUNNING', 'KILLED')));
CREATE INDEX index_runs_experiment_id_lifecycle_stage_start_time
  ON runs (experiment_id, lifecycle_stage, start_time);
CREATE TABLE metrics (
  key VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT NOT NULL,
  run_uuid VARCHAR(32) NOT NULL, step BIGINT DEFAULT '0' NOT NULL,
  is_nan BOOLEAN DEFAULT '0' NOT NULL,
  CONSTRAINT metric_pk PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan),
  FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid),
  CHECK (is_nan IN (0, 1)));
CREATE INDEX index_metrics_run_uuid ON metrics (run_uuid);
CREATE INDEX index_metrics_run_uuid_key_step ON metrics (run_uuid, key, step);
CREATE TABLE latest_metrics (
  key VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT,
  step BIGINT NOT NULL, is_nan BOOLEAN NOT NULL, run_uuid VARCHAR(32) NOT NULL,
  CONSTRAINT latest_metric_pk PRIMARY KEY (key, run_uuid),
  FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid),
  CHECK (is_nan IN (0, 1)));
CREATE INDEX index_latest_metrics_run_uuid ON latest_metrics (run_uuid);
"""

SCHEMA_POSTGRES = """
DROP SCHEMA IF EXISTS mlflow CASCADE;
CREATE SCHEMA mlflow;
SET search_path TO mlflow;
CREATE TABLE experiments (
  experiment_id SERIAL NOT NULL, name VARCHAR(256) NOT NULL,
  artifact_location VARCHAR(256), lifecycle_stage VARCHAR(32), creation_time BIGINT,
  last_update_time BIGINT, workspace VARCHAR(63) DEFAULT 'default' NOT NULL,
  CONSTRAINT experiment_pk PRIMARY KEY (experiment_id),
  CONSTRAINT uq_experiments_workspace_name UNIQUE (workspace, name),
  CONSTRAINT experiments_lifecycle_stage CHECK (lifecycle_stage IN ('active', 'deleted')));
CREATE TABLE runs (
  run_uuid VARCHAR(32) NOT NULL, name VARCHAR(250), source_type VARCHAR(20),
  source_name VARCHAR(500), entry_point_name VARCHAR(50), user_id VARCHAR(256),
  status VARCHAR(9), start_time BIGINT, end_time BIGINT, source_version VARCHAR(50),
  lifecycle_stage VARCHAR(20), artifact_uri VARCHAR(200), experiment_id INTEGER,
  deleted_time BIGINT,
  CONSTRAINT run_pk PRIMARY KEY (run_uuid),
  CONSTRAINT runs_experiment_id_fkey FOREIGN KEY(experiment_id)
    REFERENCES experiments (experiment_id),
  CONSTRAINT runs_lifecycle_stage CHECK (lifecycle_stage IN ('active', 'deleted')),
  CONSTRAINT runs_status_check CHECK (status IN ('SCHEDULED', 'FAILED', 'FINISHED', 'RUNNING', 'KILLED')),
  CONSTRAINT source_type CHECK (source_type IN ('NOTEBOOK', 'JOB', 'LOCAL', 'UNKNOWN', 'PROJECT')));
CREATE INDEX index_runs_experiment_id_lifecycle_stage_start_time
  ON runs (experiment_id, lifecycle_stage, start_time);
CREATE TABLE metrics (
  key VARCHAR(250) NOT NULL, value DOUBLE PRECISION NOT NULL, timestamp BIGINT NOT NULL,
  run_uuid VARCHAR(32) NOT NULL, step BIGINT DEFAULT '0'::bigint NOT NULL,
  is_nan BOOLEAN DEFAULT false NOT NULL,
  CONSTRAINT metric_pk PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan),
  CONSTRAINT metrics_run_uuid_fkey FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid));
CREATE INDEX index_metrics_run_uuid ON metrics (run_uuid);
CREATE INDEX index_metrics_run_uuid_key_step ON metrics (run_uuid, key, step);
CREATE TABLE latest_metrics (
  key VARCHAR(250) NOT NULL, value DOUBLE PRECISION NOT NULL, timestamp BIGINT,
  step BIGINT NOT NULL, is_nan BOOLEAN NOT NULL, run_uuid VARCHAR(32) NOT NULL,
  CONSTRAINT latest_metric_pk PRIMARY KEY (key, run_uuid),
  CONSTRAINT latest_metrics_run_uuid_fkey FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid));
CREATE INDEX index_latest_metrics_run_uuid ON latest_metrics (run_uuid);
"""

SELECT_RUN = ("SELECT run_uuid, name, source_type, source_name, entry_point_name, user_id, "
              "status, start_time, end_time, source_version, lifecycle_stage, artifact_uri, "
              "experiment_id, deleted_time FROM runs WHERE run_uuid = {p}")
SQLITE_PRAGMAS = ["PRAGMA foreign_keys = ON;", "PRAGMA busy_timeout = 20000;",
                  "PRAGMA case_sensitive_like = true;"]


def proc_cpu_seconds(pid, children=False):
    """utime + stime (+ cutime + cstime: reaped children) of `pid`, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def server_cpu_seconds():
    """CPU of the PostgreSQL server: the postmaster, its live children and
    those it has reaped (a backend's time moves to the postmaster when it
    exits). None without $MLPIPE_TEST_POSTGRES_PID."""
    pid = os.environ.get("MLPIPE_TEST_POSTGRES_PID")
    if not pid:
        return None
    total = proc_cpu_seconds(pid, children=True)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if fields[1] == pid:
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass  # exited meanwhile
    return total


class Store:
    """Two connections, as SQLAlchemy's pool hands log_batch's outer session
    and _log_metrics' inner one different connections."""

    def __init__(self, uri, wal=False):
        self.pg = uri.startswith("postgresql://")
        if self.pg:
            import psycopg2
            import psycopg2.extras
            self.execute_values = psycopg2.extras.execute_values
            self.p = "%s"
            self.outer = psycopg2.connect(uri)
            self.inner = psycopg2.connect(uri)
            with self.outer.cursor() as c:
                c.execute(SCHEMA_POSTGRES)
            self.outer.commit()
            for conn in (self.outer, self.inner):
                with conn.cursor() as c:
                    c.execute("SET search_path TO mlflow")
                conn.commit()
        else:
            import sqlite3
            if os.path.exists(uri):
                os.remove(uri)
            self.p = "?"
            self.outer = sqlite3.connect(uri)
            self.inner = sqlite3.connect(uri)
            if wal:
                self.outer.execute("PRAGMA journal_mode=WAL")
                for conn in (self.outer, self.inner):
                    conn.execute("PRAGMA synchronous=NORMAL")
            self.outer.executescript(SCHEMA_SQLITE)
        self.select_run = SELECT_RUN.format(p=self.p)

    def create_run(self):
        run_id = uuid.uuid4().hex
        now = int(time.time() * 1000)
        c = self.outer.cursor()
        c.execute("INSERT INTO experiments (experiment_id, name, artifact_location, "
                  "lifecycle_stage, creation_time, last_update_time) VALUES "
                  f"(0, 'Default', 'mlruns/0', 'active', {now}, {now})")
        c.execute("INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, "
                  "user_id, status, start_time, source_version, lifecycle_stage, artifact_uri, "
                  f"experiment_id) VALUES ({', '.join([self.p] * 12)})",
                  (run_id, "bench", "UNKNOWN", "", "", "bench", "RUNNING", now, "", "active",
                   f"mlruns/0/{run_id}/artifacts", 0))
        self.outer.commit()
        return run_id

    def session(self, conn):
        """A new session on `conn`: MLflow's per-session PRAGMAs on SQLite."""
        c = conn.cursor()
        if not self.pg:
            for pragma in SQLITE_PRAGMAS:
                c.execute(pragma)
        return c

    def check_run(self, cursor, run_id):
        cursor.execute(self.select_run, (run_id,))
        rows = cursor.fetchall()
        if len(rows) != 1 or rows[0][10] != "active":
            sys.exit(f"run {run_id} is missing or not active")

    def log_batch(self, run_id, metrics):
        """metrics: [(key, value, timestamp_ms, step)], all distinct."""
        outer = self.session(self.outer)
        self.check_run(outer, run_id)
        # _log_metrics, in a session of its own.
        c = self.session(self.inner)
        self.check_run(c, run_id)
        rows = [(key, value, ts, run_id, step, False) for key, value, ts, step in metrics]
        insert = "INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES "
        if self.pg:
            self.execute_values(c, insert + "%s", rows, page_size=1000)
        else:
            c.executemany(insert + "(?, ?, ?, ?, ?, ?)", rows)
        # _update_latest_metrics_if_necessary
        keys = [m[0] for m in metrics]
        latest = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ", ".join([self.p] * len(chunk))
            c.execute(f"SELECT key FROM latest_metrics WHERE run_uuid = {self.p} AND key IN "
                      f"({marks})", [run_id, *chunk])
            found = [r[0] for r in c.fetchall()]
            if found:
                marks = ", ".join([self.p] * len(found))
                lock = " FOR UPDATE" if self.pg else ""
                c.execute("SELECT key, value, timestamp, step, is_nan, run_uuid FROM "
                          f"latest_metrics WHERE run_uuid = {self.p} AND key IN ({marks}) "
                          f"ORDER BY run_uuid, key{lock}", [run_id, *found])
                for key, value, ts, step, _, _ in c.fetchall():
                    latest[key] = [step, ts, value, False]
        new, changed = {}, set()
        for key, value, ts, step in metrics:
            cur = latest.get(key) or new.get(key)
            if cur is None:
                new[key] = [step, ts, value, True]
            elif (step, ts, value) > (cur[0], cur[1], cur[2]):
                cur[0], cur[1], cur[2] = step, ts, value
                if not cur[3]:
                    changed.add(key)
        if changed:
            c.executemany(f"UPDATE latest_metrics SET value = {self.p}, timestamp = {self.p}, "
                          f"step = {self.p} WHERE key = {self.p} AND run_uuid = {self.p}",
                          [(latest[k][2], latest[k][1], latest[k][0], k, run_id)
                           for k in sorted(changed)])
        if new:
            c.executemany("INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, "
                          f"run_uuid) VALUES ({', '.join([self.p] * 6)})",
                          [(k, v[2], v[1], v[0], False, run_id) for k, v in new.items()])
        self.inner.commit()
        if not self.pg:
            self.session(self.inner)  # _log_model_metrics: no model ids, nothing written
            self.inner.commit()
        self.outer.commit()


def batch(first_step):
    now = int(time.time() * 1000)
    return [(f"m{i % KEYS_PER_BATCH}", 0.001 * i, now, first_step + i // KEYS_PER_BATCH)
            for i in range(BATCH)]


def main():
    wal = "--wal" in sys.argv
    argv = [a for a in sys.argv if a != "--wal"]
    if len(argv) < 3 or argv[1] not in ("batch", "points"):
        sys.exit(__doc__.split("\n\n")[1])
    mode, uri = argv[1], argv[2]
    if uri == "pg":
        uri = os.environ.get("MLPIPE_TEST_POSTGRES_URI") or sys.exit(
            "'pg' needs MLPIPE_TEST_POSTGRES_URI (run under scripts/with_postgres.sh)")
    count = int(argv[3]) if len(argv) > 3 else (50 if mode == "batch" else 1000)
    store = Store(uri, wal)
    run_id = store.create_run()
    batches = [batch(r * 50) for r in range(count)]
    times = []
    cpu0, server0 = time.process_time(), server_cpu_seconds()
    t0 = time.perf_counter()
    for b in batches:
        t = time.perf_counter()
        store.log_batch(run_id, b)
        times.append(time.perf_counter() - t)
    total = time.perf_counter() - t0
    out = {"mode": mode, "backend": "postgresql" if store.pg else "sqlite", "wal": wal,
           "client_cpu_s": time.process_time() - cpu0}
    if server0 is not None:
        out["server_cpu_s"] = server_cpu_seconds() - server0
    if mode == "batch":
        out.update({"batch_s": times, "median_s": statistics.median(times), "repeats": count})
    else:
        out.update({"points": count * BATCH, "total_s": total})
    # Every point was written once and latest_metrics holds the last step.
    c = store.outer.cursor()
    c.execute("SELECT COUNT(*) FROM metrics")
    points = c.fetchone()[0]
    c.execute("SELECT COUNT(*), MAX(step) FROM latest_metrics")
    keys, step = c.fetchone()
    if points != count * BATCH or keys != KEYS_PER_BATCH or step != (count - 1) * 50 + 49:
        sys.exit(f"wrote {points} points, {keys} latest keys up to step {step}")
    store.outer.commit()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
