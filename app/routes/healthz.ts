// GET /healthz: database and search engine status as JSON (for load balancers and operators).
import { sql } from "drizzle-orm";
import { getDatabase } from "../../db/client.server";
import { getSearchEngine } from "../../search/engine.server";
import { outboxLag } from "../../search/relay.server";

export async function loader() {
  const started = performance.now();
  const database = await checkDatabase();
  const search = await getSearchEngine()
    .health()
    .catch((error: unknown) => ({ ok: false, engine: "unknown", documents: 0, detail: String(error) }));
  const ok = database.ok && search.ok;
  return Response.json(
    { ok, database, search, tookMs: Math.round(performance.now() - started) },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}

async function checkDatabase() {
  try {
    const handle = await getDatabase();
    await handle.db.execute(sql`select 1`);
    const lag = await outboxLag(handle);
    return { ok: true, engine: handle.engine, outbox: lag };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}
