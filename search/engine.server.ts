// The search engine of this process (kept on globalThis so the Remix bundle, the start script and
// dev reloads share one index), its fill from the database at start, and its status for /healthz.
import { isNull } from "drizzle-orm";
import type { DatabaseHandle } from "../db/client.server";
import { searchOutbox } from "../db/schema";
import { fillReadings, loadSearchDocuments } from "./documents.server";
import { EmbeddedSearchEngine } from "./embedded";
import { MeiliSearchEngine, type MeiliEngineOptions } from "./meilisearch.server";
import { markOutboxApplied, outboxLag, serializeIndexWrites } from "./relay.server";
import type { EngineHealth, SearchEngine } from "./types";

const GLOBAL_KEY = "__chiikiPortalSearch";

interface SearchRuntime {
  engine: SearchEngine;
  /** When the index was last filled from the database (null: never, searches see nothing yet). */
  filledAt: Date | null;
  lastFillError: string | null;
}

type GlobalWithSearch = typeof globalThis & { [GLOBAL_KEY]?: SearchRuntime };

/**
 * Chooses the engine from the environment: Meilisearch when `MEILI_HOST` is set (indexing with
 * `MEILI_API_KEY`, searching with the search-only `MEILI_SEARCH_KEY`), else the embedded engine.
 */
export function createSearchEngine(env: NodeJS.ProcessEnv = process.env): SearchEngine {
  if (env.MEILI_HOST) return new MeiliSearchEngine(meiliOptionsFromEnv(env));
  return new EmbeddedSearchEngine();
}

export function meiliOptionsFromEnv(env: NodeJS.ProcessEnv): MeiliEngineOptions {
  const host = env.MEILI_HOST ?? "";
  if (!/^https?:\/\//.test(host)) throw new Error("MEILI_HOST は http(s):// で始まるURLにしてください (MEILI_HOST must be an http(s) URL)");
  const adminKey = env.MEILI_API_KEY;
  const searchKey = env.MEILI_SEARCH_KEY;
  if (!adminKey) throw new Error("MEILI_API_KEY（索引の更新用キー）を設定してください (MEILI_API_KEY is required with MEILI_HOST)");
  if (!searchKey) throw new Error("MEILI_SEARCH_KEY（検索専用キー）を設定してください (MEILI_SEARCH_KEY, a search-only key, is required with MEILI_HOST)");
  if (searchKey === adminKey) {
    throw new Error("MEILI_SEARCH_KEY には検索専用のキーを設定してください (the search key must not be the admin/master key)");
  }
  const timeoutMs = env.MEILI_TIMEOUT_MS ? Number(env.MEILI_TIMEOUT_MS) : undefined;
  return { host, adminKey, searchKey, indexUid: env.MEILI_INDEX || "resources", timeoutMs };
}

/**
 * Gets the index ready at start. The embedded engine is in memory, so it is always filled from
 * the database. A Meilisearch index persists: its settings are applied when they changed, and it
 * is filled only when empty (the outbox relay keeps it current; `scripts/reindex.ts` rebuilds it).
 */
export async function prepareSearchIndex(handle: DatabaseHandle, engine: SearchEngine = getSearchEngine()): Promise<number> {
  if (engine instanceof MeiliSearchEngine) {
    await engine.ensureIndex();
    const documents = await engine.count();
    if (documents > 0) {
      const state = runtime();
      if (state.engine === engine) state.filledAt = new Date();
      return documents;
    }
  }
  return fillIndexFromDatabase(handle, engine);
}

function runtime(): SearchRuntime {
  const g = globalThis as GlobalWithSearch;
  g[GLOBAL_KEY] ??= { engine: createSearchEngine(), filledAt: null, lastFillError: null };
  return g[GLOBAL_KEY];
}

/** The process-wide engine, created on first use. */
export function getSearchEngine(): SearchEngine {
  return runtime().engine;
}

/** Installs an engine as the process-wide one (tests, and scripts that build their own). */
export function setSearchEngine(engine: SearchEngine): void {
  (globalThis as GlobalWithSearch)[GLOBAL_KEY] = { engine, filledAt: null, lastFillError: null };
}

/**
 * Loads every resource from the database and replaces the index with it in one swap. Returns the
 * number of documents indexed. Runs exclusively with the outbox relay of the same engine.
 *
 * The documents and the list of pending outbox rows are read in one REPEATABLE READ snapshot, so
 * the rows visible in it describe changes the fill already contains: they are marked applied
 * instead of being relayed again (after an import that is every resource). Rows committed after
 * the snapshot are not in the list and reach the index through the relay as usual.
 */
export async function fillIndexFromDatabase(handle: DatabaseHandle, engine: SearchEngine = getSearchEngine()): Promise<number> {
  const state = runtime();
  try {
    const count = await serializeIndexWrites(engine, async () => {
      const snapshot = await handle.db.transaction(
        async (tx) => {
          const pending = await tx.select({ id: searchOutbox.id }).from(searchOutbox).where(isNull(searchOutbox.appliedAt));
          const documents = await loadSearchDocuments(tx, undefined, { readings: false });
          return { documents, pendingIds: pending.map((row) => row.id) };
        },
        { isolationLevel: "repeatable read", accessMode: "read only" },
      );
      // Generating readings (kuromoji, ~0.7 s cold) needs no snapshot: keep it out of the transaction.
      await fillReadings(snapshot.documents);
      await engine.replaceAll(snapshot.documents);
      await markOutboxApplied(handle.db, snapshot.pendingIds);
      return snapshot.documents.length;
    });
    if (state.engine === engine) {
      state.filledAt = new Date();
      state.lastFillError = null;
    }
    return count;
  } catch (error) {
    if (state.engine === engine) state.lastFillError = error instanceof Error ? error.message : String(error);
    throw error;
  }
}

export interface IndexStatus extends EngineHealth {
  /** The index has been filled from the database at least once. */
  ready: boolean;
  filledAt: string | null;
  lastFillError: string | null;
  /** Present when a database handle was given: how far the index is behind it. */
  outbox?: { pending: number; oldestPendingSeconds: number };
}

/** Engine health, fill state and (given the database) outbox lag, for /healthz. Never throws. */
export async function indexStatus(handle?: DatabaseHandle): Promise<IndexStatus> {
  const state = runtime();
  let health: EngineHealth;
  try {
    health = await state.engine.health();
  } catch (error) {
    health = { ok: false, engine: state.engine.name, documents: 0, detail: error instanceof Error ? error.message : String(error) };
  }
  const status: IndexStatus = {
    ...health,
    ready: state.filledAt !== null,
    filledAt: state.filledAt?.toISOString() ?? null,
    lastFillError: state.lastFillError,
  };
  if (handle) {
    try {
      status.outbox = await outboxLag(handle);
    } catch (error) {
      status.ok = false;
      status.detail = `outbox: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return status;
}
