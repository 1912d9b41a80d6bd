// Candidate retrieval for the matching engine: the search engine narrows the directory (geo radius
// around the person, or their area; active places of participation kinds only) and its documents
// give most of each place; one narrow database query adds what the index does not hold (cost,
// capacity, city, last verified date, source key). loadCandidate reads one place whole.
// Reads directory tables only; the needs never leave this process (nothing is written or logged).
import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import type { Database, DatabaseHandle } from "../../db/client.server";
import { resources, schedules, sources, type Schedule } from "../../db/schema";
import { RESOURCE_KIND_CODES } from "../../db/vocabulary";
import type { SearchDocument, SearchEngine, SearchFilters, SearchQuery, SearchResult } from "../../search/types";
import { matchNeeds, travelLimit } from "./engine";
import type { Needs } from "./needs";
import { DEFAULT_RADIUS_KM, EXCLUDED_KINDS } from "./tables";
import type { Candidate, MatchOptions, MatchResult } from "./types";
import { SAMPLE_SOURCE_KEY } from "./vocabulary";

export { SAMPLE_SOURCE_KEY };

/** At most this many candidates are scored (the nearest first when a location is known). */
export const DEFAULT_CANDIDATE_CAP = 2000;

/** The search engine's page size (its MAX_LIMIT). */
const PAGE_SIZE = 100;
/** Resources per database query (keeps the parameter list well below driver limits). */
const LOAD_CHUNK = 1000;

/** Kinds worth retrieving: every kind except the ones the engine always excludes (care, consultation). */
export const PARTICIPATION_KINDS: string[] = RESOURCE_KIND_CODES.filter((kind) => !(kind in EXCLUDED_KINDS));

/** The search query (without paging) that finds the candidates for these needs. */
export function candidateQuery(needs: Needs): SearchQuery {
  const filters: SearchFilters = { status: ["active"], kind: PARTICIPATION_KINDS };
  if (needs.location) {
    const km = travelLimit(needs).km ?? DEFAULT_RADIUS_KM;
    return { filters, radius: { center: needs.location, radiusMeters: Math.round(km * 1000) }, origin: needs.location, sort: "distance" };
  }
  if (needs.area) return { filters: { ...filters, area: [needs.area] }, sort: "name" };
  return { filters, sort: "name" };
}

/**
 * The candidate places for a person: search (paged up to `limit`, default 2,000) then the database.
 * With only an `area`, places whose city is that area are added from the database as well (open
 * data stores the municipality as the area; registered places may store a 地区).
 */
export async function retrieveCandidates(
  handle: DatabaseHandle,
  engine: SearchEngine,
  needs: Needs,
  options: { limit?: number } = {},
): Promise<Candidate[]> {
  const cap = options.limit ?? DEFAULT_CANDIDATE_CAP;
  const documents = await searchDocuments(engine, candidateQuery(needs), cap);
  const candidates = await candidatesFromDocuments(handle.db, documents);
  if (!needs.location && needs.area && candidates.length < cap) {
    const rows = await handle.db
      .select({ id: resources.id })
      .from(resources)
      .where(
        and(
          eq(resources.reviewStatus, "published"),
          eq(resources.status, "active"),
          inArray(resources.kind, PARTICIPATION_KINDS),
          or(eq(resources.city, needs.area), eq(resources.area, needs.area)),
        ),
      )
      .orderBy(asc(resources.id))
      .limit(cap - candidates.length);
    const more = rows.map((row) => row.id).filter((id) => !documents.has(id));
    candidates.push(...(await loadCandidates(handle.db, more, { publishedOnly: true })));
  }
  return candidates;
}

type Documents = Map<number, SearchDocument>;

function addHits(documents: Documents, result: SearchResult): void {
  for (const hit of result.hits) documents.set(Number(hit.document.id), hit.document);
}

/** The hits of `query` in its order from `offset` until `cap` documents are held or the hits end. */
async function pageInOrder(engine: SearchEngine, query: SearchQuery, cap: number, documents: Documents, offset: number): Promise<Documents> {
  for (; documents.size < cap; offset += PAGE_SIZE) {
    const result = await engine.search({ ...query, offset, limit: Math.min(PAGE_SIZE, cap - documents.size) });
    addHits(documents, result);
    if (result.hits.length === 0 || offset + PAGE_SIZE >= result.total) break;
  }
  return documents;
}

/** Every hit of `query` (which has at most a few thousand), from `offset` on; false when the total moved. */
async function pageAll(engine: SearchEngine, query: SearchQuery, documents: Documents, offset: number, total: number): Promise<boolean> {
  for (; offset < total; offset += PAGE_SIZE) {
    const result = await engine.search({ ...query, offset, limit: PAGE_SIZE });
    if (result.total !== total) return false;
    addHits(documents, result);
    if (result.hits.length === 0) break;
  }
  return documents.size === total;
}

/**
 * The documents of the first `cap` hits of the candidate query, by id. With a radius the query is in
 * distance order and the set is the `cap` nearest. Paging the distance order costs the embedded
 * engine a distance for every hit and a ranking up to the page, on every page (20 pages for 2,000:
 * most of the suggestions page's time), so the same set is gathered with cheaper pages:
 * - every hit fits under the cap: all of them, in name order;
 * - more hits: every hit within a smaller radius that holds at most `cap` of them (name order),
 *   then the next nearest from the distance order, starting after those.
 * The nearest first page is always read first; whenever the engine's answers do not add up (the
 * index changed between pages), the plain distance paging decides.
 */
export async function searchDocuments(engine: SearchEngine, query: SearchQuery, cap: number): Promise<Documents> {
  const documents: Documents = new Map();
  const first = await engine.search({ ...query, offset: 0, limit: Math.min(PAGE_SIZE, cap) });
  addHits(documents, first);
  const total = first.total;
  if (first.hits.length === 0 || PAGE_SIZE >= total || documents.size >= cap) return documents;
  const plain = () => pageInOrder(engine, query, cap, documents, PAGE_SIZE);
  const radius = query.radius;
  if (query.sort !== "distance" || !radius) return plain();
  const byName: SearchQuery = { ...query, sort: "name" };

  if (total <= cap) {
    const all: Documents = new Map(documents);
    if (await pageAll(engine, byName, all, 0, total)) return all;
    return plain();
  }

  // A radius holding at most `cap` hits, from the density of this one (places thin out or bunch
  // up, so it is checked, and narrowed a few times if needed).
  let meters = Math.max(1, Math.floor(radius.radiusMeters * Math.sqrt((0.9 * cap) / total)));
  for (let attempt = 0; attempt < 4; attempt++) {
    const inner: SearchQuery = { ...byName, radius: { center: radius.center, radiusMeters: meters } };
    const probe = await engine.search({ ...inner, offset: 0, limit: PAGE_SIZE });
    if (probe.total > cap) {
      meters = Math.max(1, Math.floor(meters * Math.sqrt((0.85 * cap) / probe.total)));
      continue;
    }
    const within: Documents = new Map();
    addHits(within, probe);
    if (!(await pageAll(engine, inner, within, PAGE_SIZE, probe.total))) return plain();
    // The distance order lists the hits within the smaller radius first: continue after them.
    const nearest: Documents = new Map([...documents, ...within]);
    for (let offset = within.size; offset < cap; offset += PAGE_SIZE) {
      const result = await engine.search({ ...query, offset, limit: Math.min(PAGE_SIZE, cap - offset) });
      addHits(nearest, result);
      if (result.hits.length === 0) break;
    }
    return nearest.size === cap ? nearest : plain();
  }
  return plain();
}

/** One row of the narrow query: [id, costKind, costYen, capacity, city, lastVerifiedOn, source key]. */
type ExtraRow = [number, string, number | null, number | null, string | null, string | null, string | null];

/**
 * Candidates from the search documents (already in hand: kind, activities, target groups,
 * conditions, schedules, location …) plus the few columns the index does not hold, read in one
 * narrow query: cost, capacity, city, last verified date and the source key. Reading whole rows
 * and their schedules again cost most of a page's time (2,000 places: ~150 ms on PGlite); so did
 * 2,000 rows of 7 columns (~25 ms: the driver decodes each field), so the rows come back as one
 * JSON array (~9 ms), for an id list passed as one array parameter.
 * Documents whose resource is gone from the database are dropped. Keeps the engine's order.
 */
async function candidatesFromDocuments(db: Database, documents: Map<number, SearchDocument>): Promise<Candidate[]> {
  const ids = [...documents.keys()];
  const extra = new Map<number, ExtraRow>();
  if (ids.length > 0) {
    const [{ rows }] = await db
      .select({
        rows: sql<string>`coalesce(json_agg(json_build_array(${resources.id}, ${resources.costKind}, ${resources.costYen}, ${resources.capacity}, ${resources.city}, ${resources.lastVerifiedOn}, ${sources.key}))::text, '[]')`,
      })
      .from(resources)
      .leftJoin(sources, eq(sources.id, resources.sourceId))
      .where(and(sql`${resources.id} = any(${sql.param(ids)}::int[])`, eq(resources.reviewStatus, "published")));
    for (const row of JSON.parse(rows) as ExtraRow[]) extra.set(row[0], row);
  }
  const candidates: Candidate[] = [];
  for (const [id, document] of documents) {
    const row = extra.get(id);
    if (!row) continue;
    const remembered = placeObjects.get(id);
    if (remembered !== undefined && remembered.document === document && remembered.updatedAt === document.updatedAt && sameRow(remembered.row, row)) {
      candidates.push(remembered.candidate);
      continue;
    }
    const [, costKind, costYen, capacity, city, lastVerifiedOn, sourceKey] = row;
    const candidate: Candidate = {
      id,
      name: document.name,
      kind: document.kind,
      services: document.services ?? [],
      description: document.description || null,
      activities: document.activities ?? [],
      targetGroups: document.targetGroups ?? [],
      conditions: document.conditions ?? [],
      costKind,
      costYen,
      capacity,
      area: document.area,
      city,
      latitude: document.location?.lat ?? null,
      longitude: document.location?.lon ?? null,
      status: document.status,
      lastVerifiedOn: isoDay(lastVerifiedOn),
      schedules: document.schedules ?? [],
      hoursNote: document.hoursNote,
      sample: sourceKey === SAMPLE_SOURCE_KEY,
    };
    if (placeObjects.size >= PLACE_OBJECTS_LIMIT) placeObjects.clear();
    placeObjects.set(id, { document, updatedAt: document.updatedAt, row, candidate });
    candidates.push(candidate);
  }
  return candidates;
}

/**
 * The place objects built for earlier requests, by resource id, with what they were built from.
 * The engine remembers its per-place work by object (see engine.ts featureListOf), so handing it
 * the same object while the index document (the same object and change time: the embedded engine
 * keeps its documents) and the database row are unchanged lets a page skip that work. Any change to either
 * builds a new object. Directory data only.
 */
const placeObjects = new Map<number, { document: SearchDocument; updatedAt: number; row: ExtraRow; candidate: Candidate }>();
const PLACE_OBJECTS_LIMIT = 50_000;

function sameRow(a: ExtraRow, b: ExtraRow): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return a.length === b.length;
}

/**
 * Retrieval then the engine: what the staff suggestions page, the CLI and the end-to-end benchmark
 * run for one person. `today` is YYYY-MM-DD in Asia/Tokyo.
 */
export async function matchFromDirectory(
  handle: DatabaseHandle,
  engine: SearchEngine,
  needs: Needs,
  today: string,
  options: MatchOptions & { candidateLimit?: number } = {},
): Promise<{ result: MatchResult; candidateCount: number }> {
  const candidates = await retrieveCandidates(handle, engine, needs, { limit: options.candidateLimit });
  return { result: matchNeeds(needs, candidates, today, { ...options, reusesPlaces: true }), candidateCount: candidates.length };
}

/** One place as the engine sees it, whatever its status (「なぜ除外？」); null when it is not published. */
export async function loadCandidate(handle: DatabaseHandle, resourceId: number): Promise<Candidate | null> {
  const [candidate] = await loadCandidates(handle.db, [resourceId], { publishedOnly: true });
  return candidate ?? null;
}

const CANDIDATE_COLUMNS = {
  id: resources.id,
  name: resources.name,
  kind: resources.kind,
  services: resources.services,
  description: resources.description,
  activities: resources.activities,
  targetGroups: resources.targetGroups,
  conditions: resources.conditions,
  costKind: resources.costKind,
  costYen: resources.costYen,
  capacity: resources.capacity,
  area: resources.area,
  city: resources.city,
  latitude: resources.latitude,
  longitude: resources.longitude,
  status: resources.status,
  lastVerifiedOn: resources.lastVerifiedOn,
  hoursNote: resources.hoursNote,
  sourceKey: sources.key,
};

function isoDay(value: string | Date | null): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
}

/** Resources with their schedules and source key, in id order (two queries per 1,000 ids). */
export async function loadCandidates(db: Database, ids: number[], options: { publishedOnly: boolean }): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  for (let i = 0; i < ids.length; i += LOAD_CHUNK) {
    const chunk = ids.slice(i, i + LOAD_CHUNK);
    const where = options.publishedOnly
      ? and(inArray(resources.id, chunk), eq(resources.reviewStatus, "published"))
      : inArray(resources.id, chunk);
    const rows = await db
      .select(CANDIDATE_COLUMNS)
      .from(resources)
      .leftJoin(sources, eq(sources.id, resources.sourceId))
      .where(where)
      .orderBy(asc(resources.id));
    if (rows.length === 0) continue;
    const scheduleRows = await db
      .select()
      .from(schedules)
      .where(inArray(schedules.resourceId, rows.map((row) => row.id)))
      .orderBy(asc(schedules.id));
    const byResource = new Map<number, Schedule[]>();
    for (const schedule of scheduleRows) {
      const list = byResource.get(schedule.resourceId);
      if (list) list.push(schedule);
      else byResource.set(schedule.resourceId, [schedule]);
    }
    for (const { sourceKey, lastVerifiedOn, ...row } of rows) {
      candidates.push({
        ...row,
        services: row.services ?? [],
        activities: row.activities ?? [],
        targetGroups: row.targetGroups ?? [],
        conditions: row.conditions ?? [],
        lastVerifiedOn: isoDay(lastVerifiedOn),
        schedules: (byResource.get(row.id) ?? []).map((schedule) => ({
          rrule: schedule.rrule,
          startsOn: isoDay(schedule.startsOn) ?? "",
          startTime: schedule.startTime ?? null,
          endTime: schedule.endTime ?? null,
          exceptionDates: schedule.exceptionDates ?? [],
        })),
        sample: sourceKey === SAMPLE_SOURCE_KEY,
      });
    }
  }
  return candidates;
}
