// The search engine contract. Every engine (the embedded in-process one now, Meilisearch next)
// implements SearchEngine; the app only ever talks to this interface.
// Documents describe public directory entries only: nothing about people is ever indexed.

export interface GeoPoint {
  lat: number;
  lon: number;
}

export interface ScheduleSummary {
  /** RFC 5545 RRULE without DTSTART, e.g. FREQ=MONTHLY;BYDAY=2TU,4TU */
  rrule: string;
  /** YYYY-MM-DD anchor of the rule */
  startsOn: string;
  startTime: string | null;
  endTime: string | null;
  exceptionDates: string[];
}

/** What the index holds for one resource: enough to render a result list without the database. */
export interface SearchDocument {
  id: string;
  name: string;
  /** Reading in kana (from 名称_カナ or generated); folded to hiragana by the engines. */
  reading: string;
  kind: string;
  kindLabel: string;
  /** Services named by the source (区分): searchable words such as 就労継続支援B型. */
  services: string[];
  activities: string[];
  description: string;
  targetGroups: string[];
  conditions: string[];
  area: string | null;
  address: string;
  /** Weekday codes (MO..SU) on which a session takes place. */
  weekdays: string[];
  /** Time-of-day bands of sessions: morning / afternoon / evening. */
  timeBands: string[];
  costBand: string;
  status: string;
  location: GeoPoint | null;
  schedules: ScheduleSummary[];
  hoursNote: string | null;
  /** Epoch milliseconds of the last change. */
  updatedAt: number;
}

export const FACET_FIELDS = ["kind", "targetGroups", "conditions", "area", "weekdays", "timeBands", "costBand", "status"] as const;
export type FacetField = (typeof FACET_FIELDS)[number];

/** Filters are ANDed across fields and ORed within one field's values. */
export type SearchFilters = Partial<Record<FacetField, string[]>>;

export interface BoundingBox {
  south: number;
  west: number;
  north: number;
  east: number;
}

export interface SearchQuery {
  /** Free text as the user typed it; engines normalise it. Empty → everything that matches filters. */
  text?: string;
  filters?: SearchFilters;
  /** Facet fields to count (counts honour every filter except the facet's own, as shoppers expect). */
  facets?: FacetField[];
  /** Keep only documents within `radiusMeters` of `center`. */
  radius?: { center: GeoPoint; radiusMeters: number };
  /** Keep only documents inside this box. */
  boundingBox?: BoundingBox;
  /** Reference point for `distanceMeters` in hits and for sort "distance". */
  origin?: GeoPoint;
  sort?: "relevance" | "distance" | "name" | "updated";
  offset?: number;
  limit?: number;
}

export interface SearchHit {
  document: SearchDocument;
  score: number;
  /** Metres from the query origin, when one was given and the document has a location. */
  distanceMeters?: number;
  /** Fields whose text matched the query, with the matched text wrapped in <mark> (HTML-escaped). */
  highlights?: Partial<Record<"name" | "description" | "address", string>>;
}

export interface SearchResult {
  hits: SearchHit[];
  total: number;
  facets: Partial<Record<FacetField, Record<string, number>>>;
  tookMs: number;
  /** Time spent inside a search server, when the engine is one (Meilisearch's processingTimeMs). */
  processingTimeMs?: number;
}

export interface EngineHealth {
  ok: boolean;
  engine: string;
  documents: number;
  detail?: string;
}

export interface SearchEngine {
  readonly name: string;
  /** Adds or replaces documents by id. */
  upsert(documents: SearchDocument[]): Promise<void>;
  remove(ids: string[]): Promise<void>;
  /** Replaces the whole index at once (no window in which searches see an empty index). */
  replaceAll(documents: SearchDocument[]): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
  get(id: string): Promise<SearchDocument | null>;
  health(): Promise<EngineHealth>;
}

export class SearchQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SearchQueryError";
  }
}

/** The engine could not answer in time or at all (Meilisearch down): callers answer 503. */
export class SearchUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SearchUnavailableError";
  }
}
