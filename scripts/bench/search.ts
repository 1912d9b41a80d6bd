// `npm run bench:search`: search latency and relevance per engine.
//
// 1. Generates 10k and 100k synthetic venues over 静岡県 (scripts/bench/search-data.ts; seeded, so
//    every run indexes the same documents) and runs the fixed mixed query set (text, text+facet,
//    geo radius+kind, bbox, reading, typo) against
//    - the embedded engine (search/embedded.ts);
//    - a plain MiniSearch baseline built on the same documents in the same run. MiniSearch's default
//      tokenizer splits on spaces and punctuation only, so Japanese text becomes one token per run
//      of characters and a word inside a name (サロン in ふれあいサロン本町) is never found: its
//      relevance is printed, but the latency baseline is MiniSearch with a Japanese-aware tokenizer
//      (character bigrams of the same normalised text, terms ANDed, the same field weights as
//      boosts, no prefix or fuzzy search), the usual way to use it for Japanese;
//    - real Meilisearch through MeiliSearchEngine, when a binary is found (MEILI_BIN, PATH, or
//      `npm run setup:meili`): both our client call and the server's own processingTimeMs.
// 2. Prints index time, memory, p50/p95/p99 per engine and per query type, and the ratios.
// 3. Scores relevance per engine: the share of the relevance table (tests/search/relevance-cases.ts)
//    passed on the bundled real open data, imported into a temporary PGlite database.
//
// Environment: BENCH_SIZES (default 10000,100000), BENCH_ROUNDS (default 15), BENCH_MEILI=0 to skip
// Meilisearch. Timings depend on the machine and on what else runs on it: compare ratios within
// one run rather than absolute figures across machines.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import MiniSearch from "minisearch";
import { openDatabase } from "../../db/client.server";
import { migrateDatabase } from "../../db/migrate.server";
import { importOpenData } from "../../app/import/open-data.server";
import { loadSearchDocuments } from "../../search/documents.server";
import { EmbeddedSearchEngine, haversineMeters } from "../../search/embedded";
import { MeiliSearchEngine } from "../../search/meilisearch.server";
import { characterBigrams, normalizeText } from "../../search/normalize";
import { validateSearchQuery } from "../../search/query";
import { releaseReadingTokenizer } from "../../search/reading.server";
import type { FacetField, SearchDocument, SearchEngine, SearchHit, SearchQuery, SearchResult } from "../../search/types";
import { disposeMeilisearch, findMeilisearchBinary, startMeilisearch, type MeiliServer } from "../../tests/helpers/meili";
import { evaluateRelevanceTable, RELEVANCE_CASES, type CaseOutcome } from "../../tests/search/relevance-cases";
import { BENCH_QUERIES, generateVenues, type QueryType } from "./search-data";

const SIZES = (process.env.BENCH_SIZES ?? "10000,100000").split(",").map((s) => Number(s.trim())).filter((n) => n > 0);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const WARMUP_ROUNDS = 3;
const WITH_MEILI = process.env.BENCH_MEILI !== "0";
const QUERY_TYPES: QueryType[] = ["text", "text+facet", "geo radius+kind", "bbox", "reading", "typo"];

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

function usedMemory(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Stats {
  p50: number;
  p95: number;
  p99: number;
  n: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), n: sorted.length };
}

const ms = (value: number) => (Number.isFinite(value) ? (value < 10 ? value.toFixed(2) : value.toFixed(1)) : "-");
const pad = (text: string, width: number) => text + " ".repeat(Math.max(0, width - [...text].length));
const lpad = (text: string, width: number) => " ".repeat(Math.max(0, width - [...text].length)) + text;

// ---------------------------------------------------------------------------------------------
// The MiniSearch baseline as a SearchEngine, so it runs the same queries and relevance table.

const FIELD_BOOSTS = { name: 10, reading: 8, kind: 6, activities: 4, description: 3, area: 2, address: 1 };
const FIELDS = Object.keys(FIELD_BOOSTS);
const collator = new Intl.Collator("ja", { numeric: true });

function fieldText(document: SearchDocument, field: string): string {
  switch (field) {
    case "kind":
      return [document.kindLabel, ...document.services].join(" ");
    case "activities":
      return document.activities.join(" ");
    case "area":
      return document.area ?? "";
    default:
      return String(document[field as keyof SearchDocument] ?? "");
  }
}

class MiniSearchBaseline implements SearchEngine {
  private index: MiniSearch<SearchDocument> | null = null;
  private documents = new Map<string, SearchDocument>();
  private all: SearchDocument[] = [];
  private rank = new Map<string, number>();

  constructor(
    readonly name: string,
    private readonly tokenizer: "default" | "bigram",
  ) {}

  async replaceAll(documents: SearchDocument[]): Promise<void> {
    const bigram = this.tokenizer === "bigram";
    const index = new MiniSearch<SearchDocument>({
      fields: FIELDS,
      idField: "id",
      extractField: (document, field) => (field === "id" ? document.id : fieldText(document, field)),
      ...(bigram
        ? {
            tokenize: (text: string) => characterBigrams(normalizeText(text)),
            processTerm: (term: string) => term,
            searchOptions: { boost: FIELD_BOOSTS, combineWith: "AND" as const },
          }
        : { searchOptions: { boost: FIELD_BOOSTS } }),
    });
    index.addAll(documents);
    this.index = index;
    this.documents = new Map(documents.map((d) => [d.id, d]));
    this.all = documents;
    // Name order computed once, as any implementation would, not per query.
    const byName = [...documents].sort((a, b) => collator.compare(a.reading || a.name, b.reading || b.name));
    this.rank = new Map(byName.map((d, i) => [d.id, i]));
  }

  async upsert(): Promise<void> {
    throw new Error("not used by the benchmark");
  }

  async remove(): Promise<void> {
    throw new Error("not used by the benchmark");
  }

  async get(id: string): Promise<SearchDocument | null> {
    return this.documents.get(id) ?? null;
  }

  async health() {
    return { ok: true, engine: this.name, documents: this.documents.size };
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const started = performance.now();
    const v = validateSearchQuery(query);
    let candidates: { document: SearchDocument; score: number }[];
    if (v.terms.length > 0) {
      const text = this.tokenizer === "bigram" ? v.terms.join(" ") : v.text;
      candidates = this.index!.search(text).map((r) => ({ document: this.documents.get(String(r.id))!, score: r.score }));
    } else {
      candidates = this.all.map((document) => ({ document, score: 0 }));
    }
    const inGeo = (d: SearchDocument) => {
      if (!v.radius && !v.boundingBox) return true;
      if (!d.location) return false;
      if (v.radius && haversineMeters(v.radius.center.lat, v.radius.center.lon, d.location.lat, d.location.lon) > v.radius.radiusMeters) return false;
      const b = v.boundingBox;
      if (b && (d.location.lat < b.south || d.location.lat > b.north || d.location.lon < b.west || d.location.lon > b.east)) return false;
      return true;
    };
    const has = (d: SearchDocument, field: FacetField, values: string[]) => {
      const value = d[field] as string | string[] | null;
      return Array.isArray(value) ? value.some((x) => values.includes(x)) : value != null && values.includes(value);
    };
    const geo = candidates.filter((c) => inGeo(c.document));
    const hits = geo.filter((c) => v.filters.every((f) => has(c.document, f.field, f.values)));
    const facets: SearchResult["facets"] = {};
    for (const field of v.facets) {
      const counts: Record<string, number> = {};
      const base = v.filters.some((f) => f.field === field) ? geo.filter((c) => v.filters.every((f) => f.field === field || has(c.document, f.field, f.values))) : hits;
      for (const { document } of base) {
        const value = document[field] as string | string[] | null;
        for (const x of Array.isArray(value) ? value : value == null ? [] : [value]) counts[x] = (counts[x] ?? 0) + 1;
      }
      facets[field] = counts;
    }
    const rank = (d: SearchDocument) => this.rank.get(d.id) ?? 0;
    if (v.sort === "distance") {
      const from = v.distanceFrom!;
      const distance = new Map(hits.map((c) => [c.document.id, c.document.location ? haversineMeters(from.lat, from.lon, c.document.location.lat, c.document.location.lon) : Infinity]));
      hits.sort((a, b) => distance.get(a.document.id)! - distance.get(b.document.id)! || rank(a.document) - rank(b.document));
    } else if (v.sort === "name") {
      hits.sort((a, b) => rank(a.document) - rank(b.document));
    } else if (v.sort === "updated") {
      hits.sort((a, b) => b.document.updatedAt - a.document.updatedAt);
    }
    const page: SearchHit[] = hits.slice(v.offset, v.offset + v.limit).map(({ document, score }) => ({ document, score }));
    return { hits: page, total: hits.length, facets, tookMs: performance.now() - started };
  }
}

// ---------------------------------------------------------------------------------------------
// Meilisearch: our engine, plus the server's processingTimeMs read from the raw multi-search response.

interface MeiliSamplers {
  /** The server's processingTimeMs of the last search (whole milliseconds, as Meilisearch reports). */
  server: () => number;
  /** The last multiSearch HTTP call as our client saw it. */
  transport: () => number;
}

interface MeiliRun {
  server: MeiliServer;
  make(indexUid: string): { engine: MeiliSearchEngine; samplers: MeiliSamplers };
}

async function startMeili(): Promise<MeiliRun | null> {
  if (!WITH_MEILI) return null;
  const binary = findMeilisearchBinary();
  if (!binary) {
    console.log("Meilisearch: no binary (MEILI_BIN, PATH or `npm run setup:meili`); skipped.\n");
    return null;
  }
  const server = await startMeilisearch(binary);
  return {
    server,
    make(indexUid) {
      const engine = new MeiliSearchEngine({ host: server.host, searchKey: server.masterKey, adminKey: server.masterKey, indexUid, timeoutMs: 30_000 });
      let processing = NaN;
      let transport = NaN;
      // The engine keeps its client private; the benchmark wraps its multiSearch to read the
      // server's processingTimeMs (summed over the queries of one multi-search) and to time the
      // HTTP call alone (request, server, response, JSON parse) apart from our own processing.
      const client = (engine as unknown as { searchClient: { multiSearch: (...args: unknown[]) => Promise<{ results: { processingTimeMs?: number }[] }> } }).searchClient;
      const original = client.multiSearch.bind(client);
      client.multiSearch = async (...args: unknown[]) => {
        const started = performance.now();
        const response = await original(...args);
        transport = performance.now() - started;
        processing = response.results.reduce((sum, r) => sum + (r.processingTimeMs ?? 0), 0);
        return response;
      };
      return { engine, samplers: { server: () => processing, transport: () => transport } };
    },
  };
}

// ---------------------------------------------------------------------------------------------

interface EngineFigures {
  name: string;
  indexMs: number;
  memoryBytes: number | null;
  memoryNote?: string;
  byType: Map<QueryType, number[]>;
  serverByType?: Map<QueryType, number[]>;
  transportByType?: Map<QueryType, number[]>;
  failures: number;
}

async function measure(name: string, engine: SearchEngine, samplers?: MeiliSamplers): Promise<Pick<EngineFigures, "byType" | "serverByType" | "transportByType" | "failures">> {
  const byType = new Map<QueryType, number[]>(QUERY_TYPES.map((t) => [t, []]));
  const serverByType = samplers ? new Map<QueryType, number[]>(QUERY_TYPES.map((t) => [t, []])) : undefined;
  const transportByType = samplers ? new Map<QueryType, number[]>(QUERY_TYPES.map((t) => [t, []])) : undefined;
  let failures = 0;
  // Warm up (the JIT compiles the hot paths), so the rounds measure the steady state of a server.
  for (let round = 0; round < WARMUP_ROUNDS; round++) for (const { query } of BENCH_QUERIES) await engine.search(query);
  for (let round = 0; round < ROUNDS; round++) {
    for (const { type, query } of BENCH_QUERIES) {
      const started = performance.now();
      try {
        await engine.search(query);
      } catch (error) {
        failures++;
        if (failures <= 3) console.log(`  ${name}: ${JSON.stringify(query)} failed: ${error instanceof Error ? error.message : error}`);
        continue;
      }
      byType.get(type)!.push(performance.now() - started);
      if (samplers && serverByType && transportByType) {
        serverByType.get(type)!.push(samplers.server());
        transportByType.get(type)!.push(samplers.transport());
      }
    }
  }
  return { byType, serverByType, transportByType, failures };
}

function all(map: Map<QueryType, number[]>): number[] {
  return [...map.values()].flat();
}

function printSize(size: number, figures: EngineFigures[]): void {
  console.log(`\n=== ${size.toLocaleString("en")} venues — ${ROUNDS} rounds of ${BENCH_QUERIES.length} queries ===`);
  console.log(`${pad("engine", 34)}${lpad("index", 10)}${lpad("memory", 12)}${lpad("p50", 9)}${lpad("p95", 9)}${lpad("p99", 9)}  (ms)`);
  for (const f of figures) {
    const s = stats(all(f.byType));
    const memory = f.memoryBytes === null ? (f.memoryNote ?? "-") : `${(f.memoryBytes / 1e6).toFixed(0)} MB`;
    console.log(`${pad(f.name, 34)}${lpad(`${Math.round(f.indexMs)}`, 10)}${lpad(memory, 12)}${lpad(ms(s.p50), 9)}${lpad(ms(s.p95), 9)}${lpad(ms(s.p99), 9)}${f.failures ? `  ${f.failures} failed` : ""}`);
    if (f.serverByType && f.transportByType) {
      const transport = stats(all(f.transportByType));
      const server = stats(all(f.serverByType));
      console.log(`${pad("  ├ HTTP call (multiSearch)", 34)}${lpad("", 22)}${lpad(ms(transport.p50), 9)}${lpad(ms(transport.p95), 9)}${lpad(ms(transport.p99), 9)}`);
      console.log(`${pad("  └ server processingTimeMs", 34)}${lpad("", 22)}${lpad(ms(server.p50), 9)}${lpad(ms(server.p95), 9)}${lpad(ms(server.p99), 9)}`);
    }
  }
  console.log(`\nper query type, p50 / p95 / p99 (ms):`);
  const columns = figures.flatMap((f) =>
    f.serverByType ? [{ label: "Meilisearch client", map: f.byType }, { label: "Meilisearch server", map: f.serverByType }] : [{ label: f.name.replace(" tokenizer", ""), map: f.byType }],
  );
  console.log(pad("type", 18) + columns.map((c) => lpad(c.label.length > 25 ? c.label.slice(0, 25) : c.label, 26)).join(""));
  for (const type of QUERY_TYPES) {
    const cells = columns.map((c) => {
      const s = stats(c.map.get(type) ?? []);
      return lpad(`${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}`, 26);
    });
    console.log(pad(type, 18) + cells.join(""));
  }
  const embedded = figures.find((f) => f.name.startsWith("embedded"));
  const baseline = figures.find((f) => f.name.includes("bigram"));
  if (embedded && baseline) {
    console.log(`\nembedded / MiniSearch (bigram) p95 ratio, per type:`);
    for (const type of QUERY_TYPES) {
      const e = stats(embedded.byType.get(type)!).p95;
      const m = stats(baseline.byType.get(type)!).p95;
      console.log(`  ${pad(type, 18)}${lpad((e / m).toFixed(2), 8)}  (${ms(e)} vs ${ms(m)})`);
    }
    const e = stats(all(embedded.byType)).p95;
    const m = stats(all(baseline.byType)).p95;
    console.log(`  ${pad("all", 18)}${lpad((e / m).toFixed(2), 8)}  (${ms(e)} vs ${ms(m)})   target ≤ 1.5 → ${e / m <= 1.5 ? "met" : "NOT met"}`);
    console.log(`embedded p95 over all queries: ${ms(e)} ms   target ≤ 5 ms at 100k → ${size >= 100_000 ? (e <= 5 ? "met" : "NOT met") : "(checked at 100k)"}`);
  }
  const meili = figures.find((f) => f.serverByType);
  if (meili?.serverByType && meili.transportByType) {
    const server = all(meili.serverByType);
    const transport = all(meili.transportByType);
    const gaps = all(meili.byType).map((t, i) => t - server[i]);
    const httpGaps = transport.map((t, i) => t - server[i]);
    const ours = all(meili.byType).map((t, i) => t - transport[i]);
    const g = stats(gaps);
    const h = stats(httpGaps);
    const o = stats(ours);
    console.log(`Meilisearch (processingTimeMs is whole ms, so each gap may be up to 1 ms smaller):`);
    console.log(`  our client call − processingTimeMs: p50 ${ms(g.p50)} / p95 ${ms(g.p95)} / p99 ${ms(g.p99)} ms   target within 2 ms → p50 ${g.p50 <= 2 ? "met" : "NOT met"}, p95 ${g.p95 <= 2 ? "met" : "NOT met"}`);
    console.log(`    of which HTTP call − processingTimeMs: p50 ${ms(h.p50)} / p95 ${ms(h.p95)} / p99 ${ms(h.p99)} ms`);
    console.log(`    of which our own work (validation, mapping, highlights): p50 ${ms(o.p50)} / p95 ${ms(o.p95)} / p99 ${ms(o.p99)} ms`);
  }
}

async function benchSize(size: number, meili: MeiliRun | null): Promise<void> {
  const documents = generateVenues(size);
  const figures: EngineFigures[] = [];

  {
    const before = usedMemory();
    const engine = new EmbeddedSearchEngine();
    const started = performance.now();
    await engine.replaceAll(documents);
    const indexMs = performance.now() - started;
    const memoryBytes = usedMemory() - before;
    figures.push({ name: "embedded", indexMs, memoryBytes, ...(await measure("embedded", engine)) });
  }
  gc();
  {
    const before = usedMemory();
    const engine = new MiniSearchBaseline("MiniSearch (bigram tokenizer)", "bigram");
    const started = performance.now();
    await engine.replaceAll(documents);
    const indexMs = performance.now() - started;
    const memoryBytes = usedMemory() - before;
    figures.push({ name: engine.name, indexMs, memoryBytes, ...(await measure(engine.name, engine)) });
  }
  gc();
  if (meili) {
    try {
      const { engine, samplers } = meili.make(`bench_${size}`);
      const started = performance.now();
      await engine.replaceAll(documents);
      const indexMs = performance.now() - started;
      const stats = await fetch(`${meili.server.host}/stats`, { headers: { Authorization: `Bearer ${meili.server.masterKey}` } }).then((r) => r.json() as Promise<{ databaseSize?: number }>);
      figures.push({
        name: "Meilisearch (our client)",
        indexMs,
        memoryBytes: null,
        memoryNote: stats.databaseSize ? `${(stats.databaseSize / 1e6).toFixed(0)} MB db` : "-",
        ...(await measure("meilisearch", engine, samplers)),
      });
    } catch (error) {
      console.log(`Meilisearch at ${size}: failed (${error instanceof Error ? error.message : error}); its figures are left out.`);
    }
  }
  printSize(size, figures);
}

async function loadRealDocuments(): Promise<SearchDocument[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-search-"));
  const handle = await openDatabase({ url: "", pgliteDir: dir });
  try {
    await migrateDatabase(handle);
    await importOpenData(handle);
    return await loadSearchDocuments(handle.db);
  } finally {
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function printRelevance(results: { name: string; outcomes: CaseOutcome[] }[]): void {
  console.log(`\n=== relevance: ${RELEVANCE_CASES.length} cases over the bundled open data (tests/search/relevance-cases.ts) ===`);
  const categories = [...new Set(RELEVANCE_CASES.map((c) => c.category))];
  console.log(pad("engine", 34) + lpad("passed", 10) + lpad("share", 8) + "  " + categories.map((c) => c).join(" | "));
  for (const { name, outcomes } of results) {
    const passed = outcomes.filter((o) => o.passed).length;
    const perCategory = categories.map((category) => {
      const inCategory = outcomes.filter((o) => o.case.category === category);
      return `${inCategory.filter((o) => o.passed).length}/${inCategory.length}`;
    });
    console.log(pad(name, 34) + lpad(`${passed}/${outcomes.length}`, 10) + lpad(`${Math.round((100 * passed) / outcomes.length)}%`, 8) + "  " + perCategory.join(" | "));
  }
  for (const { name, outcomes } of results) {
    const failed = outcomes.filter((o) => !o.passed);
    if (failed.length === 0 || failed.length > 12) continue;
    console.log(`  ${name} failed: ${failed.map((o) => `「${o.case.query}」`).join(" ")}`);
  }
}

async function main(): Promise<void> {
  console.log(`bench:search on ${os.cpus()[0]?.model ?? "?"} ×${os.cpus().length}, Node ${process.version}; sizes ${SIZES.join(", ")}`);
  console.log("(Timings vary with the machine and its load: compare the ratios within one run.)");
  const meili = await startMeili();
  try {
    for (const size of SIZES) await benchSize(size, meili);

    const real = await loadRealDocuments();
    await releaseReadingTokenizer();
    const relevance: { name: string; outcomes: CaseOutcome[] }[] = [];
    const engines: [string, SearchEngine][] = [
      ["embedded", new EmbeddedSearchEngine()],
      ["MiniSearch (default tokenizer)", new MiniSearchBaseline("MiniSearch (default tokenizer)", "default")],
      ["MiniSearch (bigram tokenizer)", new MiniSearchBaseline("MiniSearch (bigram tokenizer)", "bigram")],
    ];
    if (meili) engines.push(["Meilisearch", meili.make("relevance").engine]);
    for (const [name, engine] of engines) {
      try {
        await engine.replaceAll(real);
        relevance.push({ name, outcomes: await evaluateRelevanceTable(engine) });
      } catch (error) {
        console.log(`${name}: relevance not measured (${error instanceof Error ? error.message : error})`);
      }
    }
    printRelevance(relevance);
  } finally {
    if (meili) await disposeMeilisearch(meili.server);
  }
}

await main();
