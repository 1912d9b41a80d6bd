// The outbox relay: applies search_outbox rows (written in the same transaction as each resource
// change) to a search engine, in id order, batched and idempotent, with retry and backoff.
// Rows are claimed with SELECT … FOR UPDATE SKIP LOCKED so several app processes can relay.
import { and, asc, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { Database, DatabaseHandle } from "../db/client.server";
import { searchOutbox } from "../db/schema";
import { loadSearchDocuments } from "./documents.server";
import type { SearchEngine } from "./types";

export const DEFAULT_RELAY_BATCH = 500;
const MAX_ERROR_LENGTH = 2000;

export interface RelayResult {
  /** Outbox rows claimed in this run. */
  claimed: number;
  upserted: number;
  removed: number;
  /** Set when the engine refused the batch; the rows stay pending with attempts incremented. */
  error?: string;
}

// Index writes of one engine run one at a time within this process: a fill from the database
// must not interleave with a relay batch, or a change relayed mid-fill could be overwritten by
// the fill's older snapshot. (Rows committed during a fill stay pending and are relayed after.)
const writeChains = new WeakMap<SearchEngine, Promise<unknown>>();

/** Runs `write` after every earlier write of this engine has settled (successfully or not). */
export function serializeIndexWrites<T>(engine: SearchEngine, write: () => Promise<T>): Promise<T> {
  const previous = writeChains.get(engine) ?? Promise.resolve();
  const run = previous.then(write);
  // The chain must survive a failed write; the caller still sees the failure through `run`.
  writeChains.set(engine, run.catch(() => undefined));
  return run;
}

/** Claims up to `batchSize` pending rows, applies them to `engine` and marks them applied. */
export function relayOutboxOnce(
  handle: DatabaseHandle,
  engine: SearchEngine,
  options: { batchSize?: number } = {},
): Promise<RelayResult> {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_RELAY_BATCH));
  return serializeIndexWrites(engine, () =>
    handle.db.transaction(async (tx) => {
      const rows = await tx
        .select({ id: searchOutbox.id, resourceId: searchOutbox.resourceId, op: searchOutbox.op })
        .from(searchOutbox)
        .where(isNull(searchOutbox.appliedAt))
        .orderBy(asc(searchOutbox.id))
        .limit(batchSize)
        .for("update", { skipLocked: true });
      if (rows.length === 0) return { claimed: 0, upserted: 0, removed: 0 };

      // Coalesce by resource: only the latest operation of each resource matters.
      const latest = new Map<number, string>();
      for (const row of rows) latest.set(row.resourceId, row.op);
      const upsertIds: number[] = [];
      const removeIds = new Set<string>();
      for (const [resourceId, op] of latest) {
        if (op === "delete") removeIds.add(String(resourceId));
        else upsertIds.push(resourceId);
      }
      // The database is the truth: an upsert reads the resource as it is now, and a resource that
      // no longer exists is removed from the index, whatever the row said.
      const documents = await loadSearchDocuments(tx, upsertIds);
      const found = new Set(documents.map((d) => d.id));
      for (const id of upsertIds) if (!found.has(String(id))) removeIds.add(String(id));

      const ids = rows.map((r) => r.id);
      try {
        if (removeIds.size > 0) await engine.remove([...removeIds]);
        if (documents.length > 0) await engine.upsert(documents);
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        await tx
          .update(searchOutbox)
          .set({ attempts: sql`${searchOutbox.attempts} + 1`, lastError: message.slice(0, MAX_ERROR_LENGTH) })
          .where(inArray(searchOutbox.id, ids));
        return { claimed: rows.length, upserted: 0, removed: 0, error: message };
      }
      await markOutboxApplied(tx, ids);
      return { claimed: rows.length, upserted: documents.length, removed: removeIds.size };
    }),
  );
}

export interface OutboxRelayOptions {
  /** Pause between polls when the outbox is drained. */
  intervalMs?: number;
  batchSize?: number;
  /** Ceiling of the exponential backoff after failures. */
  maxBackoffMs?: number;
  /** Applied rows older than this are deleted (checked at most hourly); 0 keeps them. */
  keepAppliedMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Relays in the background: drains the outbox batch by batch, then polls every `intervalMs`.
 * After a failure (engine down, database error) it waits intervalMs × 2^failures, up to
 * maxBackoffMs. Returns a function that stops the loop and waits for a run in progress.
 */
export function startOutboxRelay(
  handle: DatabaseHandle,
  engine: SearchEngine,
  options: OutboxRelayOptions = {},
): () => Promise<void> {
  const intervalMs = options.intervalMs ?? 1000;
  const batchSize = options.batchSize ?? DEFAULT_RELAY_BATCH;
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;
  const keepAppliedMs = options.keepAppliedMs ?? 7 * 24 * 3600_000;
  const onError = options.onError ?? ((error: unknown) => console.error("[search relay]", error instanceof Error ? error.message : error));

  let stopped = false;
  let failures = 0;
  let lastPrune = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;

  const tick = async () => {
    let delay = intervalMs;
    try {
      for (;;) {
        const result = await relayOutboxOnce(handle, engine, { batchSize });
        if (result.error) throw new Error(`search engine refused ${result.claimed} outbox rows: ${result.error}`);
        if (stopped || result.claimed < batchSize) break;
      }
      failures = 0;
      if (keepAppliedMs > 0 && Date.now() - lastPrune > 3600_000) {
        lastPrune = Date.now();
        await pruneAppliedOutbox(handle, keepAppliedMs);
      }
    } catch (error) {
      failures++;
      delay = Math.min(intervalMs * 2 ** failures, maxBackoffMs);
      if (!stopped) onError(error);
    }
    if (stopped) return;
    timer = setTimeout(schedule, delay);
    // The server keeps the process alive; a relay alone must not (scripts, tests).
    timer.unref?.();
  };
  const schedule = () => {
    running = tick().finally(() => {
      running = null;
    });
  };
  schedule();

  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}

/** Marks outbox rows applied (in chunks: a fill may cover a whole backlog). Already applied rows keep their time. */
export async function markOutboxApplied(db: Database, ids: number[]): Promise<void> {
  const CHUNK = 5000;
  for (let i = 0; i < ids.length; i += CHUNK) {
    await db
      .update(searchOutbox)
      .set({ appliedAt: sql`now()` })
      .where(and(inArray(searchOutbox.id, ids.slice(i, i + CHUNK)), isNull(searchOutbox.appliedAt)));
  }
}

/** Deletes applied rows older than `olderThanMs`: the outbox is a queue, not a history. */
export async function pruneAppliedOutbox(handle: DatabaseHandle, olderThanMs: number): Promise<void> {
  const cutoff = new Date(Date.now() - olderThanMs);
  await handle.db
    .delete(searchOutbox)
    .where(and(isNotNull(searchOutbox.appliedAt), lt(searchOutbox.appliedAt, cutoff)));
}

/** How far the index is behind the database: pending rows and the age of the oldest one. */
export async function outboxLag(handle: DatabaseHandle): Promise<{ pending: number; oldestPendingSeconds: number }> {
  const [row] = await handle.db
    .select({
      pending: sql<number>`count(*)::int`,
      oldestSeconds: sql<number | null>`extract(epoch from (now() - min(${searchOutbox.createdAt})))::float8`,
    })
    .from(searchOutbox)
    .where(isNull(searchOutbox.appliedAt));
  const oldest = row?.oldestSeconds == null ? 0 : Math.max(0, Number(row.oldestSeconds));
  return { pending: Number(row?.pending ?? 0), oldestPendingSeconds: Math.round(oldest * 10) / 10 };
}
