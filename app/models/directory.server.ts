// Directory searches for resident pages, answered by the search engine (no database round trip,
// except to label fictional sample venues when a sample source exists): the /places query and the
// counts on the home page. Engine errors become HTTP answers here:
// a query the engine refuses → 400, an engine that cannot answer → 503.
import { data } from "@remix-run/node";
import { and, eq, inArray } from "drizzle-orm";
import { resources, sources } from "../../db/schema";
import { getSearchEngine } from "../../search/engine.server";
import { interpretQueryWords } from "../../search/query-words";
import { kindLabel } from "../../db/vocabulary";
import type { FacetField, SearchFilters, SearchHit, SearchQuery, SearchResult } from "../../search/types";
import { formatDistance } from "~/utils/format";
import { recentNextOccurrences, rememberedDescription, shortenText } from "~/utils/schedule";
import { getDatabase } from "~/utils/db.server";
import { SAMPLE_SOURCE_KEY } from "~/matching/vocabulary";

/** Residents see active and paused places; closed ones are left out of every list. */
export const PUBLIC_STATUSES = ["active", "paused"];

/** The facets /places shows (and /api/search counts when asked). */
export const PLACES_FACETS: FacetField[] = ["kind", "targetGroups", "area", "conditions", "weekdays"];

/** URL filter fields (as in /places and /api/search) → engine filters. */
export function directoryFilters(params: {
  kind: readonly string[];
  target: readonly string[];
  area: readonly string[];
  condition: readonly string[];
  day: readonly string[];
}): SearchFilters {
  return {
    kind: [...params.kind],
    targetGroups: [...params.target],
    area: [...params.area],
    conditions: [...params.condition],
    weekdays: [...params.day],
  };
}

function splitMessage(message: string): { message: string; messageEn?: string } {
  // Engines write 「日本語 (English)」.
  const match = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(message);
  return match ? { message: match[1], messageEn: match[2] } : { message };
}

/** A search the directory could not answer: the query was refused (400) or the engine is down (503). */
export class DirectorySearchError extends Error {
  constructor(
    readonly status: 400 | 503,
    message: string,
    readonly messageEn?: string
  ) {
    super(message);
    this.name = "DirectorySearchError";
  }
}

const UNAVAILABLE = {
  message: "ただいま検索を利用できません。しばらくしてからもう一度お試しください。",
  messageEn: "Search is unavailable right now. Please try again shortly.",
};

/**
 * Runs a query against the process-wide engine; always restricted to public statuses. Engine
 * refusals and outages become a DirectorySearchError (400 / 503); anything else is a bug and
 * propagates as it is.
 */
export async function queryDirectory(typed: SearchQuery): Promise<SearchResult> {
  // 「火曜 午前 体操」: weekday and time-of-day words become filters, the rest stays text.
  const { query } = interpretQueryWords(typed);
  const filters: SearchFilters = { status: PUBLIC_STATUSES };
  for (const [field, values] of Object.entries(query.filters ?? {}) as [keyof SearchFilters, string[] | undefined][]) {
    if (field !== "status" && values && values.length > 0) filters[field] = values;
  }
  try {
    return await getSearchEngine().search({ ...query, filters });
  } catch (error) {
    // Compare names, not classes: the engine may have been created by another copy of search/types
    // (the start script and the Remix bundle each load their own).
    const name = error instanceof Error ? error.name : "";
    if (name === "SearchQueryError") {
      const { message, messageEn } = splitMessage((error as Error).message);
      throw new DirectorySearchError(400, message, messageEn);
    }
    if (name === "SearchUnavailableError") throw new DirectorySearchError(503, UNAVAILABLE.message, UNAVAILABLE.messageEn);
    throw error;
  }
}

/** `queryDirectory` for pages: a refused query is a 400 page, an outage a 503 page (not cached). */
export async function searchDirectory(query: SearchQuery): Promise<SearchResult> {
  try {
    return await queryDirectory(query);
  } catch (error) {
    if (error instanceof DirectorySearchError) {
      throw data(
        { message: error.message, messageEn: error.messageEn },
        { status: error.status, headers: error.status === 503 ? { "Cache-Control": "no-store" } : undefined }
      );
    }
    throw error;
  }
}

export interface CountedValue {
  value: string;
  count: number;
}

function sortedCounts(counts: Record<string, number> | undefined): CountedValue[] {
  return Object.entries(counts ?? {})
    .filter(([, count]) => count > 0)
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value, "ja"));
}

/** Counts for the home page entry points, from one facet query. */
export async function getDirectoryCounts() {
  const result = await searchDirectory({ facets: ["kind", "area", "targetGroups"], limit: 0 });
  return {
    total: result.total,
    kinds: sortedCounts(result.facets.kind),
    areas: sortedCounts(result.facets.area),
    targetGroups: sortedCounts(result.facets.targetGroups),
  };
}

/** Whether the sample source exists, looked up at most every 30 s (never, in production, means no query per page). */
let sampleSource: { db: unknown; id: number | null; checkedAt: number } | null = null;
const SAMPLE_SOURCE_TTL_MS = 30_000;

/**
 * Which of these resources are fictional samples (source `sample`, labelled サンプル). Search
 * documents do not carry the source, so this asks the database, and only when a sample source
 * exists (one cached look-up; a directory without samples pays nothing per page).
 */
export async function sampleIdsAmong(ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const { db } = await getDatabase();
  const now = Date.now();
  if (!sampleSource || sampleSource.db !== db || now - sampleSource.checkedAt > SAMPLE_SOURCE_TTL_MS) {
    const [row] = await db.select({ id: sources.id }).from(sources).where(eq(sources.key, SAMPLE_SOURCE_KEY));
    sampleSource = { db, id: row?.id ?? null, checkedAt: now };
  }
  if (sampleSource.id === null) return new Set();
  const rows = await db
    .select({ id: resources.id })
    .from(resources)
    .where(and(eq(resources.sourceId, sampleSource.id), inArray(resources.id, [...ids])));
  return new Set(rows.map((row) => row.id));
}

/** Only what a result row and its map marker show: the list stays light to send and to render. */
export function toListedPlace({ document, distanceMeters }: SearchHit, now: Date, sampleIds?: ReadonlySet<number>) {
  const schedules = document.schedules ?? [];
  const next = recentNextOccurrences(schedules, now, 2);
  return {
    id: Number(document.id),
    name: document.name,
    kindLabel: document.kindLabel || kindLabel(document.kind),
    address: document.address,
    status: document.status,
    rule: rememberedDescription(schedules),
    nextDates: next.map((o) => o.label),
    hoursNote: schedules.length === 0 && document.hoursNote ? shortenText(document.hoursNote, 48) : null,
    distance: formatDistance(distanceMeters),
    location: document.location,
    // Only present (true) for the fictional sample venues, labelled サンプル.
    ...(sampleIds?.has(Number(document.id)) ? { sample: true } : {}),
  };
}

export type ListedPlace = ReturnType<typeof toListedPlace>;

/**
 * One hit of /api/search: what a map marker and a short list row need, nothing more. Built field by
 * field from the public directory document (never spread), so nothing else can slip out.
 */
export function toApiHit({ document, distanceMeters }: SearchHit, now: Date) {
  // Two dates, as the list asks for, so both share the per-minute cache of next dates.
  const next = recentNextOccurrences(document.schedules ?? [], now, 2)[0]?.label ?? null;
  return {
    id: Number(document.id),
    name: document.name,
    kind: document.kind,
    kindLabel: document.kindLabel || kindLabel(document.kind),
    address: document.address,
    lat: document.location?.lat ?? null,
    lon: document.location?.lon ?? null,
    distanceMeters: distanceMeters ?? null,
    status: document.status,
    next,
  };
}

export type ApiHit = ReturnType<typeof toApiHit>;
