// Parameters of /api/search (the JSON behind the map's 「このエリアで検索」): the /places fields
// (q, kind, target, area, condition, day, lat/lon, sort, page, bbox) read by the same zod pieces,
// plus a radius around lat/lon, a page size and whether to count facets.
import { z } from "zod";
import { checkLocation, parseSearchParams, placesQueryShape, type PlacesBox, type PlacesSort } from "./places-query";
import type { Condition, ResourceKind, TargetGroup, Weekday } from "../../db/vocabulary";

export const API_MAX_LIMIT = 100;
export const API_DEFAULT_LIMIT = 20;
export const API_MAX_RADIUS_METERS = 50_000;

export interface SearchApiParams {
  q?: string;
  kind: ResourceKind[];
  target: TargetGroup[];
  area: string[];
  condition: Condition[];
  day: Weekday[];
  page: number;
  limit: number;
  lat?: number;
  lon?: number;
  /** Metres around lat/lon; needs both. */
  radius?: number;
  bbox?: PlacesBox;
  sort?: PlacesSort;
  facets: boolean;
}

function msg(ja: string, en: string): string {
  return `${ja} / ${en}`;
}

function buildSchema() {
  return z
    .object({
      ...placesQueryShape(),
      limit: z
        .string()
        .regex(/^\d{1,3}$/, {
          error: msg(`件数（limit）は1から${API_MAX_LIMIT}までの数字で指定してください。`, `limit must be 1 to ${API_MAX_LIMIT}.`),
        })
        .transform(Number)
        .pipe(
          z
            .number()
            .int()
            .min(1, { error: msg(`件数（limit）は1から${API_MAX_LIMIT}までの数字で指定してください。`, `limit must be 1 to ${API_MAX_LIMIT}.`) })
            .max(API_MAX_LIMIT, {
              error: msg(`件数（limit）は1から${API_MAX_LIMIT}までの数字で指定してください。`, `limit must be 1 to ${API_MAX_LIMIT}.`),
            })
        )
        .optional(),
      radius: z
        .string()
        .regex(/^\d{1,6}$/, {
          error: msg(
            `半径（radius）はメートル単位の整数で、${API_MAX_RADIUS_METERS / 1000}km以内で指定してください。`,
            `radius must be whole metres up to ${API_MAX_RADIUS_METERS}.`
          ),
        })
        .transform(Number)
        .pipe(
          z
            .number()
            .int()
            .min(1, { error: msg("半径（radius）は1メートル以上で指定してください。", "radius must be at least 1 m.") })
            .max(API_MAX_RADIUS_METERS, {
              error: msg(
                `半径（radius）は${API_MAX_RADIUS_METERS / 1000}km（${API_MAX_RADIUS_METERS}メートル）以内で指定してください。`,
                `radius must be at most ${API_MAX_RADIUS_METERS} m.`
              ),
            })
        )
        .optional(),
      facets: z
        .enum(["0", "1"], { error: () => msg("facets は 0 か 1 で指定してください。", "facets must be 0 or 1.") })
        .transform((v) => v === "1")
        .optional(),
    })
    .superRefine((value, ctx) => {
      checkLocation(value, ctx);
      if (value.radius !== undefined && value.lat === undefined) {
        ctx.addIssue({
          code: "custom",
          message: msg("半径（radius）を使うには位置（lat・lon）が必要です。", "radius needs lat and lon."),
        });
      }
    });
}

let schema: ReturnType<typeof buildSchema> | undefined;

const SINGLE_KEYS = ["q", "page", "lat", "lon", "sort", "bbox", "limit", "radius", "facets"] as const;

export type SearchApiParseResult =
  | { ok: true; params: SearchApiParams }
  | { ok: false; message: string; messageEn: string };

export function parseSearchApiQuery(searchParams: URLSearchParams): SearchApiParseResult {
  schema ??= buildSchema();
  const parsed = parseSearchParams(searchParams, schema, SINGLE_KEYS);
  if (!parsed.ok) return parsed;
  const { page, limit, facets, ...rest } = parsed.data;
  return { ok: true, params: { ...rest, page: page ?? 1, limit: limit ?? API_DEFAULT_LIMIT, facets: facets ?? false } };
}
