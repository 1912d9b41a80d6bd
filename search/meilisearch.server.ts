// The Meilisearch engine: the same SearchEngine contract as the embedded engine, on a Meilisearch
// server. Text is normalised on our side (NFKC, kana folding) in documents and queries, readings
// are indexed, and user text never reaches a filter string: filter values come from fixed fields
// and are quoted and escaped here.
import { Meilisearch, type Index, type MultiSearchQuery, type SearchParams, type Settings } from "meilisearch";
import { haversineMeters } from "./embedded";
import { highlightTerms, normalizeText } from "./normalize";
import { validateSearchQuery, type ValidatedQuery } from "./query";
import { meilisearchSynonyms } from "./synonyms";
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

/** Bump when SETTINGS change: the engine then re-applies them at start (and reindex does). */
export const SETTINGS_VERSION = 4;

const SEARCHABLE = ["s_name", "s_reading", "s_kind", "s_activities", "s_description", "s_area", "s_address"] as const;

export const INDEX_SETTINGS: Settings = {
  // Ranked order: a match in the name beats one in the reading, the kind, … the address.
  searchableAttributes: [...SEARCHABLE],
  filterableAttributes: [...FACET_FIELDS, "_geo"],
  sortableAttributes: ["_geo", "updatedAt", "s_sort"],
  displayedAttributes: ["*"],
  localizedAttributes: [{ attributePatterns: ["s_*"], locales: ["jpn"] }],
  // Japanese words are short: a typo allowed on a two- or three-character word matches unrelated
  // words (子育て ≈ 子育ち), so typos start at four characters and two typos at eight.
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 } },
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
  s_sort: string;
  settingsVersion: number;
};

export function toMeiliDocument(document: SearchDocument): MeiliDocument {
  const meili: MeiliDocument = {
    ...document,
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
  const { _geo, _geoDistance, _formatted, _rankingScore, s_name, s_reading, s_kind, s_activities, s_description, s_area, s_address, s_sort, settingsVersion, ...rest } = hit;
  void [_geo, _geoDistance, _formatted, _rankingScore, s_name, s_reading, s_kind, s_activities, s_description, s_area, s_address, s_sort, settingsVersion];
  return rest as unknown as SearchDocument;
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
      if (!exists) await this.adminClient.createIndex(uid, { primaryKey: "id" }).waitTask();
      const current = await this.adminIndex(uid).getSettings();
      if (!settingsMatch(current, INDEX_SETTINGS)) await this.adminIndex(uid).updateSettings(INDEX_SETTINGS).waitTask();
    });
  }

  async upsert(documents: SearchDocument[]): Promise<void> {
    if (documents.length === 0) return;
    await this.unavailableOnError(async () => {
      const task = await this.adminIndex().addDocuments(documents.map(toMeiliDocument), { primaryKey: "id" }).waitTask();
      if (task.status !== "succeeded") throw new Error(`Meilisearch task ${task.uid} ${task.status}: ${task.error?.message ?? ""}`);
    });
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.unavailableOnError(async () => {
      const task = await this.adminIndex().deleteDocuments(ids).waitTask();
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
        const task = await this.adminIndex(staging).addDocuments(documents.slice(i, i + batch).map(toMeiliDocument), { primaryKey: "id" }).waitTask();
        if (task.status !== "succeeded") throw new Error(`Meilisearch task ${task.uid} ${task.status}: ${task.error?.message ?? ""}`);
        onProgress?.(Math.min(i + batch, documents.length), documents.length);
      }
      if (documents.length === 0) onProgress?.(0, 0);
      await this.adminClient.swapIndexes([{ indexes: [this.indexUid, staging], rename: false }]).waitTask();
      await this.adminClient.deleteIndex(staging).waitTask();
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
    const q = terms.join(" ");

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
