// Candidate retrieval for the matching engine: the search engine narrows the directory (geo radius
// around the person, or their area; active places of participation kinds only) and its documents
// give most of each place; one narrow database query adds what the index does not hold (cost,
// capacity, city, last verified date, source key). loadCandidate reads one place whole.
// Reads directory tables only; the needs never leave this process (nothing is written or logged).
import { and, asc, eq, inArray, or } from "drizzle-orm";
import type { Database, DatabaseHandle } from "../../db/client.server";
import { resources, schedules, sources, type Schedule } from "../../db/schema";
import { RESOURCE_KIND_CODES } from "../../db/vocabulary";
import type { SearchDocument, SearchEngine, SearchFilters, SearchQuery } from "../../search/types";
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
  const query = candidateQuery(needs);
  const documents = new Map<number, SearchDocument>();
  for (let offset = 0; documents.size < cap; offset += PAGE_SIZE) {
    const result = await engine.search({ ...query, offset, limit: Math.min(PAGE_SIZE, cap - documents.size) });
    for (const hit of result.hits) documents.set(Number(hit.document.id), hit.document);
    if (result.hits.length === 0 || offset + PAGE_SIZE >= result.total) break;
  }
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

/**
 * Candidates from the search documents (already in hand: kind, activities, target groups,
 * conditions, schedules, location …) plus the few columns the index does not hold, read in one
 * narrow query: cost, capacity, city, last verified date and the source key. Reading whole rows
 * and their schedules again cost most of a page's time (2,000 places: ~150 ms on PGlite).
 * Documents whose resource is gone from the database are dropped. Keeps the engine's order.
 */
async function candidatesFromDocuments(db: Database, documents: Map<number, SearchDocument>): Promise<Candidate[]> {
  const ids = [...documents.keys()];
  const extra = new Map<number, { costKind: string; costYen: number | null; capacity: number | null; city: string | null; lastVerifiedOn: string | null; sourceKey: string | null }>();
  for (let i = 0; i < ids.length; i += LOAD_CHUNK) {
    const rows = await db
      .select({
        id: resources.id,
        costKind: resources.costKind,
        costYen: resources.costYen,
        capacity: resources.capacity,
        city: resources.city,
        lastVerifiedOn: resources.lastVerifiedOn,
        sourceKey: sources.key,
      })
      .from(resources)
      .leftJoin(sources, eq(sources.id, resources.sourceId))
      .where(and(inArray(resources.id, ids.slice(i, i + LOAD_CHUNK)), eq(resources.reviewStatus, "published")));
    for (const { id, ...row } of rows) extra.set(id, { ...row, lastVerifiedOn: isoDay(row.lastVerifiedOn) });
  }
  const candidates: Candidate[] = [];
  for (const [id, document] of documents) {
    const row = extra.get(id);
    if (!row) continue;
    candidates.push({
      id,
      name: document.name,
      kind: document.kind,
      services: document.services ?? [],
      description: document.description || null,
      activities: document.activities ?? [],
      targetGroups: document.targetGroups ?? [],
      conditions: document.conditions ?? [],
      costKind: row.costKind,
      costYen: row.costYen,
      capacity: row.capacity,
      area: document.area,
      city: row.city,
      latitude: document.location?.lat ?? null,
      longitude: document.location?.lon ?? null,
      status: document.status,
      lastVerifiedOn: row.lastVerifiedOn,
      schedules: document.schedules ?? [],
      hoursNote: document.hoursNote,
      sample: row.sourceKey === SAMPLE_SOURCE_KEY,
    });
  }
  return candidates;
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
  return { result: matchNeeds(needs, candidates, today, options), candidateCount: candidates.length };
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
