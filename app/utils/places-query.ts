// The /places search state lives in the URL: one zod schema reads it (bad input → a Japanese
// message, answered with 400), and `placesHref` writes it back for facet links and pagination.
// Browser-safe; the schema is built on first use so a client bundle importing only
// `placesHref` leaves zod out.
import { z } from "zod";
import {
  CONDITION_CODES,
  RESOURCE_KIND_CODES,
  TARGET_GROUP_CODES,
  WEEKDAY_CODES,
  type Condition,
  type ResourceKind,
  type TargetGroup,
  type Weekday,
} from "../../db/vocabulary";

export const QUERY_MAX_LENGTH = 200;
export const AREA_MAX_LENGTH = 50;
export const MAX_PAGE = 500;
export const PAGE_SIZE = 20;
/** Upper bound on repeated values of one parameter (there are 21 kinds; nobody picks more). */
export const MAX_VALUES_PER_FIELD = 30;
/** Japan including its outlying islands, with a margin. */
export const JAPAN_BOUNDS = { south: 20, north: 46, west: 122, east: 154 } as const;

export const SORT_OPTIONS = ["relevance", "distance", "name"] as const;
export type PlacesSort = (typeof SORT_OPTIONS)[number];
/** An address, station or place name to search near (「本町」「練馬区」「焼津駅」). */
export const NEAR_MAX_LENGTH = 50;

/** A map view: the south-west and north-east corners, in degrees. */
export interface PlacesBox {
  south: number;
  west: number;
  north: number;
  east: number;
}

export interface PlacesParams {
  q?: string;
  kind: ResourceKind[];
  target: TargetGroup[];
  area: string[];
  condition: Condition[];
  day: Weekday[];
  page: number;
  lat?: number;
  lon?: number;
  /** As given in the URL; see `effectiveSort` for what applies. */
  sort?: PlacesSort;
  /** Only places inside this map view (「このエリアで検索」). */
  bbox?: PlacesBox;
  /** Text to turn into a point (the server finds registered places whose address or name has it). */
  near?: string;
}

export type ParseResult = { ok: true; params: PlacesParams } | { ok: false; message: string; messageEn: string };

/** The message carries both languages: 「日本語 / English」, split by the first " / ". */
function msg(ja: string, en: string): string {
  return `${ja} / ${en}`;
}

function multi<T extends string>(values: readonly [T, ...T[]], ja: string, en: string) {
  return z
    .array(z.enum(values, { error: () => msg(`${ja}の指定が正しくありません。`, `Unknown ${en}.`) }))
    .max(MAX_VALUES_PER_FIELD, { error: msg(`${ja}の指定が多すぎます。`, `Too many ${en} values.`) })
    .transform((list) => [...new Set(list)]);
}

function coordinate(min: number, max: number, ja: string, en: string) {
  const error = msg(`${ja}は日本国内の数値で指定してください。`, `${en} must be a number inside Japan.`);
  return z
    .string()
    .regex(/^-?\d{1,3}(\.\d{1,8})?$/, { error })
    .transform(Number)
    .pipe(z.number().min(min, { error }).max(max, { error }))
    .optional();
}

const COORDINATE = /^-?\d{1,3}(\.\d{1,8})?$/;

/** `south,west,north,east` inside Japan, south below north and west of east. */
function boundingBox() {
  const error = msg(
    "地図の範囲（bbox）は「南端の緯度,西端の経度,北端の緯度,東端の経度」の形で、日本国内を指定してください。",
    "bbox must be south,west,north,east inside Japan."
  );
  return z
    .string()
    .transform((text, ctx) => {
      const parts = text.split(",");
      if (parts.length !== 4 || !parts.every((p) => COORDINATE.test(p.trim()))) {
        ctx.addIssue({ code: "custom", message: error });
        return z.NEVER;
      }
      const [south, west, north, east] = parts.map((p) => Number(p.trim()));
      const { south: s, north: n, west: w, east: e } = JAPAN_BOUNDS;
      const inside = [south, north].every((v) => v >= s && v <= n) && [west, east].every((v) => v >= w && v <= e);
      if (!inside || south >= north || west >= east) {
        ctx.addIssue({ code: "custom", message: error });
        return z.NEVER;
      }
      return { south, west, north, east } satisfies PlacesBox;
    })
    .optional();
}

/**
 * The fields /places and /api/search share, one zod schema each. Built on first use (see
 * `placesQuerySchema`); /api/search adds its own fields to these.
 */
export function placesQueryShape() {
  return {
    q: z
      .string()
      .transform((s) => s.trim())
      .pipe(
        z.string().max(QUERY_MAX_LENGTH, {
          error: msg(
            `キーワードは${QUERY_MAX_LENGTH}文字以内で入力してください。`,
            `Keywords must be at most ${QUERY_MAX_LENGTH} characters.`
          ),
        })
      )
      .transform((s) => (s === "" ? undefined : s))
      .optional(),
    kind: multi(RESOURCE_KIND_CODES, "種類", "kind"),
    target: multi(TARGET_GROUP_CODES, "対象", "target group"),
    area: z
      .array(
        z
          .string()
          .trim()
          .min(1, { error: msg("地域の指定が空です。", "Area is empty.") })
          .max(AREA_MAX_LENGTH, { error: msg("地域の指定が長すぎます。", "Area is too long.") })
      )
      .max(MAX_VALUES_PER_FIELD, { error: msg("地域の指定が多すぎます。", "Too many areas.") })
      .transform((list) => [...new Set(list)]),
    condition: multi(CONDITION_CODES, "条件", "condition"),
    day: multi(WEEKDAY_CODES, "曜日", "weekday"),
    page: z
      .string()
      .regex(/^\d{1,4}$/, {
        error: msg(
          `ページ番号は1から${MAX_PAGE}までの数字で指定してください。`,
          `Page must be a number from 1 to ${MAX_PAGE}.`
        ),
      })
      .transform(Number)
      .pipe(
        z
          .number()
          .int()
          .min(1, {
            error: msg(
              `ページ番号は1から${MAX_PAGE}までの数字で指定してください。`,
              `Page must be from 1 to ${MAX_PAGE}.`
            ),
          })
          .max(MAX_PAGE, {
            error: msg(
              `ページ番号は1から${MAX_PAGE}までの数字で指定してください。`,
              `Page must be from 1 to ${MAX_PAGE}.`
            ),
          })
      )
      .optional(),
    lat: coordinate(JAPAN_BOUNDS.south, JAPAN_BOUNDS.north, "緯度（lat）", "Latitude"),
    lon: coordinate(JAPAN_BOUNDS.west, JAPAN_BOUNDS.east, "経度（lon）", "Longitude"),
    sort: z
      .enum(SORT_OPTIONS, { error: () => msg("並び順の指定が正しくありません。", "Unknown sort order.") })
      .optional(),
    bbox: boundingBox(),
  };
}

/** Checks across fields: a location is a lat/lon pair; sorting by distance needs a point. */
export function checkLocation(
  value: { lat?: number; lon?: number; sort?: string; near?: string },
  ctx: z.RefinementCtx
): void {
  if ((value.lat === undefined) !== (value.lon === undefined)) {
    ctx.addIssue({
      code: "custom",
      message: msg("位置は緯度（lat）と経度（lon）を両方指定してください。", "Give both lat and lon."),
    });
  }
  if (value.near !== undefined && value.lat !== undefined) {
    ctx.addIssue({
      code: "custom",
      message: msg(
        "地点（lat・lon）と住所・駅名（near）は、どちらか一方を指定してください。",
        "Give either lat/lon or near, not both."
      ),
    });
  }
  if (value.sort === "distance" && value.lat === undefined && value.near === undefined) {
    ctx.addIssue({
      code: "custom",
      message: msg("近い順に並べるには位置（lat・lon）が必要です。", "Sorting by distance needs lat and lon."),
    });
  }
}

function buildSchema() {
  return z
    .object({
      ...placesQueryShape(),
      near: z
        .string()
        .transform((s) => s.normalize("NFKC").replace(/\s+/g, " ").trim())
        .pipe(
          z.string().max(NEAR_MAX_LENGTH, {
            error: msg(
              `住所・駅名は${NEAR_MAX_LENGTH}文字以内で入力してください。`,
              `near must be at most ${NEAR_MAX_LENGTH} characters.`
            ),
          })
        )
        .transform((s) => (s === "" ? undefined : s))
        .optional(),
    })
    .superRefine(checkLocation);
}

let schema: ReturnType<typeof buildSchema> | undefined;
/** The one schema for /places parameters (built on first use). */
export function placesQuerySchema() {
  schema ??= buildSchema();
  return schema;
}

export const MULTI_KEYS = ["kind", "target", "area", "condition", "day"] as const;
const SINGLE_KEYS = ["q", "page", "lat", "lon", "sort", "bbox", "near"] as const;

export type ParsedQuery<T> = { ok: true; data: T } | { ok: false; message: string; messageEn: string };

/**
 * Reads URL parameters with `schema`: the multi-value keys as arrays (empty values dropped), the
 * single keys as strings (an empty form field counts as absent; `q` repeated is joined, any other
 * single key repeated is refused). Unknown keys are ignored. The first problem becomes the message.
 */
export function parseSearchParams<T>(
  searchParams: URLSearchParams,
  schema: z.ZodType<T>,
  singleKeys: readonly string[]
): ParsedQuery<T> {
  const raw: Record<string, unknown> = {};
  for (const key of MULTI_KEYS) raw[key] = searchParams.getAll(key).filter((v) => v !== "");
  for (const key of singleKeys) {
    const values = searchParams.getAll(key);
    if (values.length > 1 && key !== "q") {
      return { ok: false, message: `${key} が複数指定されています。`, messageEn: `${key} is given more than once.` };
    }
    const value = key === "q" ? values.join(" ") : values[0];
    if (value !== undefined && (value !== "" || key === "q")) raw[key] = value;
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const text = result.error.issues[0]?.message ?? msg("検索条件が正しくありません。", "Invalid search.");
    const [ja, en = ""] = text.split(" / ");
    return { ok: false, message: ja, messageEn: en };
  }
  return { ok: true, data: result.data };
}

/** Reads /places parameters; empty form fields (`q=`, `page=`) count as absent. Unknown keys are ignored. */
export function parsePlacesQuery(searchParams: URLSearchParams): ParseResult {
  const parsed = parseSearchParams(searchParams, placesQuerySchema(), SINGLE_KEYS);
  if (!parsed.ok) return parsed;
  const { page, ...rest } = parsed.data;
  const params: PlacesParams = { ...rest, page: page ?? 1 };
  // Absent optional fields stay absent (not `undefined` keys), so parsed params compare cleanly.
  for (const key of Object.keys(params) as (keyof PlacesParams)[]) if (params[key] === undefined) delete params[key];
  return { ok: true, params };
}

/** `south,west,north,east` with the precision a map view needs (about 1 m). */
export function formatBox(box: PlacesBox): string {
  const round = (n: number) => String(Math.round(n * 100_000) / 100_000);
  return [box.south, box.west, box.north, box.east].map(round).join(",");
}

/** What the engine should sort by: explicit choice, else distance when a location is given, else relevance. */
export function effectiveSort(params: Pick<PlacesParams, "sort" | "lat" | "q" | "near">): PlacesSort {
  if (params.sort) return params.sort;
  if (params.lat !== undefined || params.near !== undefined) return "distance";
  return params.q ? "relevance" : "name";
}

export function hasFilters(params: PlacesParams): boolean {
  return MULTI_KEYS.some((key) => params[key].length > 0);
}

/** The filter fields only (what a map search or a 「近い順」 search keeps from the current state). */
export const FILTER_KEYS = MULTI_KEYS;

/**
 * The /places URL for `params` with `changes` applied. Any change other than `page` goes back to
 * page 1, as a new filter makes the old page number meaningless.
 */
export function placesHref(params: PlacesParams, changes: Partial<PlacesParams> = {}): string {
  const next: PlacesParams = { ...params, ...changes };
  if (!("page" in changes)) next.page = 1;
  const search = new URLSearchParams();
  if (next.q) search.set("q", next.q);
  for (const key of MULTI_KEYS) for (const value of next[key]) search.append(key, value);
  if (next.lat !== undefined && next.lon !== undefined) {
    search.set("lat", String(next.lat));
    search.set("lon", String(next.lon));
  }
  if (next.near) search.set("near", next.near);
  if (next.bbox) search.set("bbox", formatBox(next.bbox));
  if (next.sort) search.set("sort", next.sort);
  if (next.page > 1) search.set("page", String(next.page));
  const text = search.toString();
  return text ? `/places?${text}` : "/places";
}

/** `params` with `value` added to or removed from a multi-value field. */
export function toggleValue<K extends (typeof MULTI_KEYS)[number]>(
  params: PlacesParams,
  key: K,
  value: PlacesParams[K][number]
): Partial<PlacesParams> {
  const current = params[key] as string[];
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  return { [key]: next } as Partial<PlacesParams>;
}

export const EMPTY_PLACES_PARAMS: PlacesParams = {
  kind: [],
  target: [],
  area: [],
  condition: [],
  day: [],
  page: 1,
};
