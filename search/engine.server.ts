// The search engine of this process (kept on globalThis so the Remix bundle, the start script and
// dev reloads share one index), its fill from the database at start, and its status for /healthz.
import { isNull } from "drizzle-orm";
import type { DatabaseHandle } from "../db/client.server";
import { searchOutbox } from "../db/schema";
import { loadSearchDocuments } from "./documents.server";
import { EmbeddedSearchEngine } from "./embedded";
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
 * Chooses the engine from the environment. The embedded engine is the default and the only one
 * so far; issue 3 adds Meilisearch here: when `env.MEILI_HOST` is set, construct the Meilisearch
 * engine (host, search-only key) instead. Nothing else in the app needs to change.
 */
export function createSearchEngine(env: NodeJS.ProcessEnv = process.env): SearchEngine {
  if (env.MEILI_HOST) {
    // The seam for issue 3: `return new MeilisearchEngine({ host: env.MEILI_HOST, apiKey: … })`.
    // Until it exists, say so once rather than silently ignoring the setting.
    console.warn("[search] MEILI_HOST is set but the Meilisearch engine is not built yet; using the embedded engine");
  }
  return new EmbeddedSearchEngine();
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
          const documents = await loadSearchDocuments(tx);
          return { documents, pendingIds: pending.map((row) => row.id) };
        },
        { isolationLevel: "repeatable read", accessMode: "read only" },
      );
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
