// Engine-independent validation of a SearchQuery. Every engine calls validateSearchQuery first, so
// the embedded engine and Meilisearch refuse exactly the same queries with the same messages
// (Japanese for people, English in brackets for logs) and read the same defaults.
import { MAX_QUERY_LENGTH, queryTerms } from "./normalize";
import { FACET_FIELDS, SearchQueryError, type BoundingBox, type FacetField, type GeoPoint, type SearchQuery } from "./types";

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
/** Deeper pages are not a person paging (Meilisearch's maxTotalHits is the same 10,000). */
export const MAX_OFFSET = 10_000;
/** More values than this in one filter is not a person choosing options. */
export const MAX_FILTER_VALUES = 100;
/** Half the Earth's circumference: any larger radius is a mistake. */
export const MAX_RADIUS_METERS = 20_100_000;

export type SearchSort = "relevance" | "distance" | "name" | "updated";
const SORTS: readonly string[] = ["relevance", "distance", "name", "updated"];

export interface ValidatedQuery {
  /** The text as given (at most MAX_QUERY_LENGTH units). */
  text: string;
  /** Normalised query words (see queryTerms); empty when there is no text worth matching. */
  terms: string[];
  /** Filtered fields in the order given, each with its distinct wanted values (never empty). */
  filters: { field: FacetField; values: string[] }[];
  /** Distinct facet fields to count, in the order given. */
  facets: FacetField[];
  radius: { center: GeoPoint; radiusMeters: number } | null;
  boundingBox: BoundingBox | null;
  origin: GeoPoint | null;
  /** The point distances are sorted from: the origin, else the centre of the radius. */
  distanceFrom: GeoPoint | null;
  /** Relevance when there are terms, else name order, unless the query says otherwise. */
  sort: SearchSort;
  offset: number;
  limit: number;
}

function fail(japanese: string, english: string): never {
  throw new SearchQueryError(`${japanese} (${english})`);
}

function isFacetField(field: unknown): field is FacetField {
  return typeof field === "string" && (FACET_FIELDS as readonly string[]).includes(field);
}

function checkPoint(point: unknown, what: string): GeoPoint {
  const p = point as Partial<GeoPoint> | null;
  if (
    !p ||
    typeof p !== "object" ||
    typeof p.lat !== "number" ||
    typeof p.lon !== "number" ||
    !Number.isFinite(p.lat) ||
    !Number.isFinite(p.lon) ||
    Math.abs(p.lat) > 90 ||
    Math.abs(p.lon) > 180
  ) {
    fail(`${what}の緯度・経度が正しくありません`, `${what}: latitude/longitude missing or out of range`);
  }
  return { lat: p.lat, lon: p.lon };
}

/** Checks a query and fills in the defaults; throws SearchQueryError for anything malformed. */
export function validateSearchQuery(query: SearchQuery): ValidatedQuery {
  if (query == null || typeof query !== "object") fail("検索条件が正しくありません", "query must be an object");
  const text = query.text ?? "";
  if (typeof text !== "string") fail("検索語が正しくありません", "text must be a string");
  if (text.length > MAX_QUERY_LENGTH) {
    fail(`検索語は${MAX_QUERY_LENGTH}文字以内にしてください`, `text longer than ${MAX_QUERY_LENGTH} characters`);
  }
  const terms = queryTerms(text);

  const filters: ValidatedQuery["filters"] = [];
  if (query.filters != null && (typeof query.filters !== "object" || Array.isArray(query.filters))) {
    fail("絞り込みが正しくありません", "filters must be an object");
  }
  for (const [field, values] of Object.entries(query.filters ?? {})) {
    if (!isFacetField(field)) fail("その項目では絞り込めません", "unknown filter field");
    if (values === undefined) continue;
    if (!Array.isArray(values) || values.some((v) => typeof v !== "string")) {
      fail("絞り込みの値が正しくありません", `filter ${field} must be a list of strings`);
    }
    if (values.length > MAX_FILTER_VALUES) fail("絞り込みの値が多すぎます", `too many values for filter ${field}`);
    if (values.length === 0) continue; // nothing chosen: no restriction
    filters.push({ field, values: [...new Set(values)] });
  }

  const facets: FacetField[] = [];
  if (query.facets != null && !Array.isArray(query.facets)) fail("集計項目が正しくありません", "facets must be a list");
  for (const field of query.facets ?? []) {
    if (!isFacetField(field)) fail("その項目は集計できません", "unknown facet field");
    if (!facets.includes(field)) facets.push(field);
  }

  let radius: ValidatedQuery["radius"] = null;
  if (query.radius != null) {
    if (typeof query.radius !== "object") fail("半径が正しくありません", "radius must be an object");
    const center = checkPoint(query.radius.center, "中心");
    const meters = query.radius.radiusMeters;
    if (typeof meters !== "number" || !Number.isFinite(meters) || meters <= 0 || meters > MAX_RADIUS_METERS) {
      fail("半径が正しくありません", "radiusMeters must be a positive number of metres");
    }
    radius = { center, radiusMeters: meters };
  }

  let boundingBox: BoundingBox | null = null;
  if (query.boundingBox != null) {
    const b = query.boundingBox;
    if (typeof b !== "object") fail("範囲が正しくありません", "boundingBox must be an object");
    const sw = checkPoint({ lat: b.south, lon: b.west }, "範囲");
    const ne = checkPoint({ lat: b.north, lon: b.east }, "範囲");
    if (sw.lat > ne.lat) fail("範囲の南端が北端より北にあります", "boundingBox south is north of north");
    boundingBox = { south: sw.lat, west: sw.lon, north: ne.lat, east: ne.lon };
  }

  const origin = query.origin != null ? checkPoint(query.origin, "現在地") : null;
  const sort = query.sort ?? (terms.length > 0 ? "relevance" : "name");
  if (typeof sort !== "string" || !SORTS.includes(sort)) fail("並び順が正しくありません", "unknown sort");
  const distanceFrom = origin ?? (radius ? radius.center : null);
  if (sort === "distance" && !distanceFrom) fail("距離順には現在地が必要です", "sort=distance needs an origin");

  const offset = query.offset ?? 0;
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > MAX_OFFSET) {
    fail(`表示位置は0〜${MAX_OFFSET}にしてください`, `offset must be an integer from 0 to ${MAX_OFFSET}`);
  }
  if (!Number.isSafeInteger(limit) || limit < 0 || limit > MAX_LIMIT) {
    fail(`件数は0〜${MAX_LIMIT}にしてください`, `limit must be an integer from 0 to ${MAX_LIMIT}`);
  }

  return { text, terms, filters, facets, radius, boundingBox, origin, distanceFrom, sort: sort as SearchSort, offset, limit };
}
