// The Meilisearch engine: the same SearchEngine contract as the embedded engine, on a Meilisearch
// server. Text is normalised on our side (NFKC, kana folding) in documents and queries, readings
// are indexed, and user text never reaches a filter string: filter values come from fixed fields
// and are quoted and escaped here.
import { Meilisearch, type Index, type MultiSearchQuery, type SearchParams, type Settings } from "meilisearch";
import { haversineMeters } from "./embedded";
import { highlightTerms, normalizeText } from "./normalize";
import { validateSearchQuery, type ValidatedQuery } from "./query";
import { buildSynonymMap, meilisearchSynonyms } from "./synonyms";
import {
  FACET_FIELDS,
  SearchQueryError,
  SearchUnavailableError,
  type EngineHealth,
  type FacetField,
  type SearchDocument,
  type SearchEngine,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
} from "./types";

/** Indexing tasks can take long on a loaded server (100k documents); searches have their own timeout. */
const TASK_WAIT = { timeout: 120_000 };

/** Bump when SETTINGS change: the engine then re-applies them at start (and reindex does). */
export const SETTINGS_VERSION = 7;

// s_g_* hold kana/kanji character bigrams encoded as Latin words (see gramWords): Meilisearch's
// Japanese segmenter cuts hiragana readings into pieces that a typed reading or prefix does not
// reproduce (こそだて vs さくらだいこそだて…), so kana query words are matched on bigrams instead.
// s_synonyms carries, per document, every word of the synonym groups its text touches
// (index-side expansion: Meilisearch's own synonyms do not reach segmented Japanese phrases).
const SEARCHABLE = [
  "s_g_name",
  "s_name",
  "s_g_reading",
  "s_g_syn_name",
  "s_g_kind",
  "s_kind",
  "s_g_syn_kind",
  "s_g_text",
  "s_activities",
  "s_description",
  "s_g_place",
  "s_area",
  "s_address",
] as const;
const GRAM_FIELDS = ["s_g_name", "s_g_reading", "s_g_syn_name", "s_g_kind", "s_g_syn_kind", "s_g_text", "s_g_place"];

export const INDEX_SETTINGS: Settings = {
  // Ranked order: a match in the name beats one in the reading, the kind, … the address.
  searchableAttributes: [...SEARCHABLE],
  filterableAttributes: [...FACET_FIELDS, "_geo"],
  sortableAttributes: ["_geo", "updatedAt", "s_sort"],
  displayedAttributes: ["*"],
  localizedAttributes: [
    { attributePatterns: ["s_g_*"], locales: ["eng"] },
    { attributePatterns: ["s_*"], locales: ["jpn"] },
  ],
  // Japanese words are short: a typo allowed on a two- or three-character word matches unrelated
  // words (子育て ≈ 子育ち), so typos start at four characters and two typos at eight.
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 }, disableOnAttributes: GRAM_FIELDS },
  synonyms: meilisearchSynonyms(),
  faceting: { maxValuesPerFacet: 500 },
  pagination: { maxTotalHits: 10_000 },
};

type MeiliDocument = Omit<SearchDocument, "location"> & {
  location: SearchDocument["location"];
  _geo?: { lat: number; lng: number };
  s_name: string;
  s_reading: string;
  s_kind: string;
  s_activities: string;
  s_description: string;
  s_area: string;
  s_address: string;
  s_g_name: string;
  s_g_reading: string;
  s_g_syn_name: string;
  s_g_kind: string;
  s_g_syn_kind: string;
  s_g_text: string;
  s_g_place: string;
  s_sort: string;
  settingsVersion: number;
};

const LETTERS = "abcdefghijklmnop";
/** One UTF-16 unit as four letters (hex digits spelled a–p): a Latin word no segmenter splits. */
function unitWord(code: number): string {
  return LETTERS[(code >> 12) & 15] + LETTERS[(code >> 8) & 15] + LETTERS[(code >> 4) & 15] + LETTERS[code & 15];
}

/** The character bigrams of normalised text as Latin words, e.g. こそだて → 3 words. */
export function gramWords(normalized: string): string {
  const words: string[] = [];
  for (const word of normalized.split(" ")) {
    if (word.length === 1) words.push("u" + unitWord(word.charCodeAt(0)));
    for (let i = 1; i < word.length; i++) words.push("g" + unitWord(word.charCodeAt(i - 1)) + unitWord(word.charCodeAt(i)));
  }
  return words.join(" ");
}

const JAPANESE = /[\u3000-\u9fff\uf900-\ufaff]/;
/**
 * Query words with Japanese characters become their bigram words, matched in s_g_* like a
 * substring (and proximity keeps the bigrams of one word together); Latin and digit words stay
 * words, so Meilisearch's own typo tolerance serves them (sonpo → SOMPO).
 */
export function meiliQueryText(terms: readonly string[]): string {
  const japanese = (term: string) => term.length > 1 && JAPANESE.test(term);
  const full = terms.map((term) => (japanese(term) ? gramWords(term) : term)).join(" ");
  // Every bigram while the query fits in Meilisearch's ten words (adjacency is then exact);
  // beyond that, every second bigram.
  if (full.split(" ").length <= MEILI_QUERY_WORDS) return full;
  return terms.map((term) => (japanese(term) ? queryGramWords(term) : term)).join(" ");
}

const MEILI_QUERY_WORDS = 10;

/**
 * The bigrams of a query word at every second position, plus the last one: together they still
 * cover every character, with half the words. Meilisearch reads only the first ten words of a
 * query, and every bigram of a long word (ふれあいいきいきサロン本町: 12) would pass that.
 */
function queryGramWords(term: string): string {
  const words: string[] = [];
  for (let i = 1; i < term.length; i += 2) words.push("g" + unitWord(term.charCodeAt(i - 1)) + unitWord(term.charCodeAt(i)));
  if (term.length % 2 === 1) words.push("g" + unitWord(term.charCodeAt(term.length - 2)) + unitWord(term.charCodeAt(term.length - 1)));
  return words.join(" ");
}

/** Kana-typo fallback applies to Japanese words this long or longer (as on the embedded engine). */
const TYPO_FALLBACK_MIN_LENGTH = 4;
const TYPO_CANDIDATES = 200;

/** True when some substring of `text` is `term` with at most one edit. */
export function withinOneEdit(term: string, text: string): boolean {
  if (text.includes(term)) return true;
  const n = term.length;
  for (let start = 0; start < text.length; start++) {
    for (const length of [n - 1, n, n + 1]) {
      if (length <= 0 || start + length > text.length) continue;
      if (oneEditApart(term, text.slice(start, start + length))) return true;
    }
  }
  return false;
}

function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

const synonymMap = buildSynonymMap();
function synonymWords(text: string): string {
  const words = new Set<string>();
  for (const [word, others] of synonymMap) {
    if (text.includes(word)) for (const other of others) words.add(other);
  }
  return [...words].join(" ");
}

export function toMeiliDocument(document: SearchDocument): MeiliDocument {
  const name = normalizeText(document.name);
  const reading = normalizeText(document.reading);
  const kind = normalizeText([document.kindLabel, ...document.services].join(" "));
  const meili: MeiliDocument = {
    ...document,
    s_g_name: gramWords(name),
    s_g_reading: gramWords(reading),
    s_g_syn_name: gramWords(synonymWords(name)),
    s_g_kind: gramWords(kind),
    s_g_syn_kind: gramWords(synonymWords(`${kind} ${normalizeText(document.activities.join(" "))}`)),
    s_g_text: gramWords(normalizeText(`${document.activities.join(" ")} ${document.description}`)),
    s_g_place: gramWords(normalizeText(`${document.area ?? ""} ${document.address}`)),
    s_name: normalizeText(document.name),
    s_reading: normalizeText(document.reading),
    s_kind: normalizeText([document.kindLabel, ...document.services].join(" ")),
    s_activities: normalizeText(document.activities.join(" ")),
    s_description: normalizeText(document.description),
    s_area: normalizeText(document.area ?? ""),
    s_address: normalizeText(document.address),
    s_sort: normalizeText(document.reading || document.name),
    settingsVersion: SETTINGS_VERSION,
  };
  if (document.location) meili._geo = { lat: document.location.lat, lng: document.location.lon };
  return meili;
}

function fromMeiliDocument(hit: Record<string, unknown>): SearchDocument {
  const document: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(hit)) {
    // Our search fields (s_*), Meilisearch's own (_geo, _rankingScore …) and the settings stamp stay behind.
    if (key.startsWith("s_") || key.startsWith("_") || key === "settingsVersion") continue;
    document[key] = value;
  }
  return document as unknown as SearchDocument;
}

/** Quotes a filter value for Meilisearch: backslashes and double quotes escaped. */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}


export interface MeiliEngineOptions {
  host: string;
  /** Key used for searches: a search-only key. */
  searchKey: string;
  /** Key used for indexing and settings (never the master key in production). */
  adminKey: string;
  indexUid?: string;
  /** Per request; a search slower than this answers 503. */
  timeoutMs?: number;
}

export class MeiliSearchEngine implements SearchEngine {
  readonly name = "meilisearch";
  readonly indexUid: string;
  private readonly searchClient: Meilisearch;
  private readonly adminClient: Meilisearch;

  constructor(private readonly options: MeiliEngineOptions) {
    this.indexUid = options.indexUid ?? "resources";
    // Asking for an uncompressed body avoids a ~40 ms stall per call: with gzip, Meilisearch writes
    // the body in a second segment that waits for the client's delayed ACK (ENVIRONMENT-NOTES).
    const requestInit = { headers: { "Accept-Encoding": "identity" } };
    const timeout = options.timeoutMs ?? 2000;
    this.searchClient = new Meilisearch({ host: options.host, apiKey: options.searchKey, requestInit, timeout });
    this.adminClient = new Meilisearch({ host: options.host, apiKey: options.adminKey, requestInit, timeout: Math.max(timeout, 30_000) });
  }

  private adminIndex(uid = this.indexUid): Index<MeiliDocument> {
    return this.adminClient.index<MeiliDocument>(uid);
  }

  /** Creates the index when missing and applies INDEX_SETTINGS when they differ. */
  async ensureIndex(uid = this.indexUid): Promise<void> {
    await this.unavailableOnError(async () => {
      const exists = await this.adminIndex(uid)
        .getRawInfo()
        .then(() => true)
        .catch((error: unknown) => {
          if (isNotFound(error)) return false;
          throw error;
        });
      if (!exists) await this.adminClient.createIndex(uid, { primaryKey: "id" }).waitTask(TASK_WAIT);
      const current = await this.adminIndex(uid).getSettings();
      if (!settingsMatch(current, INDEX_SETTINGS)) await this.adminIndex(uid).updateSettings(INDEX_SETTINGS).waitTask(TASK_WAIT);
    });
  }

  async upsert(documents: SearchDocument[]): Promise<void> {
    if (documents.length === 0) return;
    await this.unavailableOnError(async () => {
      const task = await this.adminIndex().addDocuments(documents.map(toMeiliDocument), { primaryKey: "id" }).waitTask(TASK_WAIT);
      if (task.status !== "succeeded") throw new Error(`Meilisearch task ${task.uid} ${task.status}: ${task.error?.message ?? ""}`);
    });
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.unavailableOnError(async () => {
      const task = await this.adminIndex().deleteDocuments(ids).waitTask(TASK_WAIT);
      if (task.status !== "succeeded") throw new Error(`Meilisearch task ${task.uid} ${task.status}: ${task.error?.message ?? ""}`);
    });
  }

  /**
   * Builds a new index beside the live one, fills it, then swaps the two atomically, so searches
   * never see an empty or half-filled index; the old index is deleted after the swap.
   */
  async replaceAll(documents: SearchDocument[], onProgress?: (done: number, total: number) => void): Promise<void> {
    const staging = `${this.indexUid}_build_${Date.now()}`;
    await this.ensureIndex(this.indexUid);
    await this.ensureIndex(staging);
    await this.unavailableOnError(async () => {
      const batch = 1000;
      for (let i = 0; i < documents.length; i += batch) {
        const task = await this.adminIndex(staging).addDocuments(documents.slice(i, i + batch).map(toMeiliDocument), { primaryKey: "id" }).waitTask(TASK_WAIT);
        if (task.status !== "succeeded") throw new Error(`Meilisearch task ${task.uid} ${task.status}: ${task.error?.message ?? ""}`);
        onProgress?.(Math.min(i + batch, documents.length), documents.length);
      }
      if (documents.length === 0) onProgress?.(0, 0);
      await this.adminClient.swapIndexes([{ indexes: [this.indexUid, staging], rename: false }]).waitTask(TASK_WAIT);
      await this.adminClient.deleteIndex(staging).waitTask(TASK_WAIT);
    });
  }

  async get(id: string): Promise<SearchDocument | null> {
    return this.unavailableOnError(async () => {
      try {
        const document = await this.searchClient.index(this.indexUid).getDocument(id);
        return fromMeiliDocument(document);
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    });
  }

  async count(): Promise<number> {
    return this.unavailableOnError(async () => (await this.adminIndex().getStats()).numberOfDocuments);
  }

  async health(): Promise<EngineHealth> {
    try {
      await this.searchClient.health();
      return { ok: true, engine: this.name, documents: await this.count() };
    } catch (error) {
      return { ok: false, engine: this.name, documents: 0, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const started = performance.now();
    // The same validation as the embedded engine: both refuse exactly the same queries.
    const valid = validateSearchQuery(query);
    const { terms, offset, limit } = valid;
    const q = meiliQueryText(terms);

    const geoFilters: string[] = [];
    if (valid.radius) {
      const { center, radiusMeters } = valid.radius;
      geoFilters.push(`_geoRadius(${center.lat}, ${center.lon}, ${Math.ceil(radiusMeters)})`);
    }
    if (valid.boundingBox) {
      const { north, east, south, west } = valid.boundingBox;
      geoFilters.push(`_geoBoundingBox([${north}, ${east}], [${south}, ${west}])`);
    }
    // Only fixed field names and quoted, escaped values reach the filter string.
    const filterFor = (exclude?: FacetField) => [
      ...geoFilters,
      ...valid.filters.filter((f) => f.field !== exclude).map((f) => `${f.field} IN [${f.values.map(quoteFilterValue).join(", ")}]`),
    ];

    const main: SearchParams = {
      filter: filterFor(),
      offset,
      limit,
      showRankingScore: true,
      // Every word must match, as on the embedded engine (Meilisearch's default drops trailing words).
      matchingStrategy: "all",
    };
    const sort = this.sortFor(valid);
    if (sort) main.sort = sort;
    // Each facet's counts honour every filter except its own (so the other choices stay visible):
    // facets without an active filter share the main query; the others get one query each.
    const filteredFields = new Set(valid.filters.map((f) => f.field));
    const filteredFacets = valid.facets.filter((f) => filteredFields.has(f));
    const plainFacets = valid.facets.filter((f) => !filteredFields.has(f));
    if (plainFacets.length > 0) main.facets = plainFacets;

    const queries: MultiSearchQuery[] = [
      { indexUid: this.indexUid, q, ...main },
      ...filteredFacets.map((facet) => ({ indexUid: this.indexUid, q, filter: filterFor(facet), facets: [facet], limit: 0, matchingStrategy: "all" as const })),
    ];
    const response = await this.unavailableOnError(() => this.searchClient.multiSearch({ queries }));
    const strictTotal = response.results[0]?.estimatedTotalHits ?? response.results[0]?.totalHits ?? 0;
    if (strictTotal === 0 && terms.length === 1 && terms[0].length >= TYPO_FALLBACK_MIN_LENGTH && JAPANESE.test(terms[0])) {
      return this.typoFallback(valid, queries[0], started);
    }
    const [first, ...facetResponses] = response.results;

    const facetCounts: SearchResult["facets"] = {};
    for (const facet of plainFacets) facetCounts[facet] = { ...(first.facetDistribution?.[facet] ?? {}) };
    filteredFacets.forEach((facet, i) => {
      facetCounts[facet] = { ...(facetResponses[i]?.facetDistribution?.[facet] ?? {}) };
    });

    const from = valid.origin ?? valid.distanceFrom;
    const hits: SearchHit[] = first.hits.map((raw) => {
      const document = fromMeiliDocument(raw as Record<string, unknown>);
      const hit: SearchHit = { document, score: Number((raw as { _rankingScore?: number })._rankingScore ?? 0) };
      if (from && document.location) hit.distanceMeters = Math.round(haversineMeters(from.lat, from.lon, document.location.lat, document.location.lon));
      if (terms.length > 0) {
        const highlights: SearchHit["highlights"] = {};
        for (const field of ["name", "description", "address"] as const) {
          const marked = highlightTerms(document[field], terms);
          if (marked) highlights[field] = marked;
        }
        hit.highlights = highlights;
      }
      return hit;
    });
    return {
      hits,
      total: first.estimatedTotalHits ?? first.totalHits ?? hits.length,
      facets: facetCounts,
      tookMs: performance.now() - started,
      processingTimeMs: first.processingTimeMs,
    };
  }

  /**
   * One long Japanese word that matched nothing: Meilisearch's "last" strategy lets trailing
   * bigrams go unmatched, then every candidate is checked on our side to hold the word with at
   * most one edit (substitution, insertion or deletion) in one field, as the embedded engine does.
   * Totals and facets are counted over the checked candidates (at most TYPO_CANDIDATES).
   */
  private async typoFallback(valid: ValidatedQuery, main: MultiSearchQuery, started: number): Promise<SearchResult> {
    const term = valid.terms[0];
    const candidates = await this.unavailableOnError(() =>
      this.searchClient.multiSearch({ queries: [{ ...main, matchingStrategy: "last", offset: 0, limit: TYPO_CANDIDATES, facets: undefined }] }),
    );
    const documents = candidates.results[0].hits
      .map((raw) => fromMeiliDocument(raw as Record<string, unknown>))
      .filter((document) =>
        [document.name, document.reading, document.kindLabel, ...document.services].some((field) => withinOneEdit(term, normalizeText(field))),
      );
    const facets: SearchResult["facets"] = {};
    for (const facet of valid.facets) {
      const counts: Record<string, number> = {};
      for (const document of documents) {
        const value = document[facet] as unknown;
        for (const v of Array.isArray(value) ? value : value == null ? [] : [value]) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
      }
      facets[facet] = counts;
    }
    const from = valid.origin ?? valid.distanceFrom;
    const hits = documents.slice(valid.offset, valid.offset + valid.limit).map((document): SearchHit => {
      const hit: SearchHit = { document, score: 0 };
      if (from && document.location) hit.distanceMeters = Math.round(haversineMeters(from.lat, from.lon, document.location.lat, document.location.lon));
      return hit;
    });
    return { hits, total: documents.length, facets, tookMs: performance.now() - started };
  }

  private sortFor(valid: ValidatedQuery): string[] | undefined {
    switch (valid.sort) {
      case "distance":
        return valid.distanceFrom ? [`_geoPoint(${valid.distanceFrom.lat}, ${valid.distanceFrom.lon}):asc`] : undefined;
      case "name":
        return ["s_sort:asc"];
      case "updated":
        return ["updatedAt:desc"];
      default:
        return undefined;
    }
  }

  private async unavailableOnError<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof SearchQueryError) throw error;
      throw new SearchUnavailableError(`検索エンジン（Meilisearch）に接続できません: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}

function isNotFound(error: unknown): boolean {
  const cause = error as { cause?: { code?: string }; response?: { status?: number } };
  return cause?.cause?.code === "index_not_found" || cause?.cause?.code === "document_not_found" || cause?.response?.status === 404;
}

/** True when every setting we manage already has the wanted value (order-insensitive for sets). */
export function settingsMatch(current: Settings, wanted: Settings): boolean {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === "object")
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => [k, canonical(v)]),
      );
    return value;
  };
  const setLike = new Set(["filterableAttributes", "sortableAttributes"]);
  for (const [key, value] of Object.entries(wanted)) {
    let have = (current as Record<string, unknown>)[key];
    let want: unknown = value;
    if (setLike.has(key) && Array.isArray(have) && Array.isArray(want)) {
      have = [...(have as unknown[]).map(String)].sort();
      want = [...(want as unknown[]).map(String)].sort();
    }
    if (key === "synonyms" && have && typeof have === "object") {
      have = Object.fromEntries(Object.entries(have as Record<string, string[]>).map(([k, v]) => [k, [...v].sort()]));
      want = Object.fromEntries(Object.entries(want as Record<string, string[]>).map(([k, v]) => [k, [...v].sort()]));
    }
    if (key === "typoTolerance" && have && typeof have === "object") {
      const h = have as Record<string, unknown>;
      const w = want as Record<string, unknown>;
      have = Object.fromEntries(Object.keys(w).map((k) => [k, h[k]]));
    }
    if (key === "faceting" || key === "pagination") {
      const h = (have ?? {}) as Record<string, unknown>;
      have = Object.fromEntries(Object.keys(value as object).map((k) => [k, h[k]]));
    }
    if (JSON.stringify(canonical(have)) !== JSON.stringify(canonical(want))) return false;
  }
  return true;
}
