// Parameters of /api/resources, /export/* and /places/print: one zod schema each, Japanese
// messages (「日本語 / English」 split into message and messageEn), unknown keys ignored.
import { z } from "zod";
import { RESOURCE_KIND_CODES } from "../../db/vocabulary";
import { AREA_MAX_LENGTH, MAX_VALUES_PER_FIELD } from "./places-query";

export const API_MAX_PAGE = 10_000;
export const API_MAX_LIMIT = 100;
export const API_DEFAULT_LIMIT = 20;

type Parsed<T> = { ok: true; data: T } | { ok: false; message: string; messageEn: string };

const kinds = z
  .array(z.enum(RESOURCE_KIND_CODES, { error: () => "種類（kind）の指定が正しくありません。 / Unknown kind." }))
  .max(MAX_VALUES_PER_FIELD, { error: "種類（kind）の指定が多すぎます。 / Too many kind values." })
  .transform((list) => [...new Set(list)]);
const areas = z
  .array(
    z
      .string()
      .trim()
      .min(1, { error: "地域（area）の指定が空です。 / Area is empty." })
      .max(AREA_MAX_LENGTH, { error: "地域（area）の指定が長すぎます。 / Area is too long." })
  )
  .max(MAX_VALUES_PER_FIELD, { error: "地域（area）の指定が多すぎます。 / Too many areas." })
  .transform((list) => [...new Set(list)]);

function positive(max: number, ja: string, en: string) {
  const error = `${ja}は1から${max}までの整数で指定してください。 / ${en} must be an integer from 1 to ${max}.`;
  return z
    .string()
    .regex(/^\d{1,6}$/, { error })
    .transform(Number)
    .pipe(z.number().int().min(1, { error }).max(max, { error }))
    .optional();
}

function read<T>(searchParams: URLSearchParams, schema: z.ZodType<T>, single: string[]): Parsed<T> {
  const raw: Record<string, unknown> = {
    kind: searchParams.getAll("kind").filter((v) => v !== ""),
    area: searchParams.getAll("area"),
  };
  for (const key of single) {
    const values = searchParams.getAll(key);
    if (values.length > 1) return { ok: false, message: `${key} が複数指定されています。`, messageEn: `${key} is given more than once.` };
    if (values[0] !== undefined && values[0] !== "") raw[key] = values[0];
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const [message, messageEn = ""] = (result.error.issues[0]?.message ?? "指定が正しくありません。 / Invalid parameters.").split(" / ");
  return { ok: false, message, messageEn };
}

let apiSchema: z.ZodType<{ page: number; limit: number; kind: string[]; area: string[] }> | undefined;
export function parseResourcesApiQuery(searchParams: URLSearchParams) {
  apiSchema ??= z
    .object({
      page: positive(API_MAX_PAGE, "ページ番号（page）", "page"),
      limit: positive(API_MAX_LIMIT, "件数（limit）", "limit"),
      kind: kinds,
      area: areas,
    })
    .transform((v) => ({ page: v.page ?? 1, limit: v.limit ?? API_DEFAULT_LIMIT, kind: v.kind, area: v.area }));
  return read(searchParams, apiSchema, ["page", "limit"]);
}

let filterSchema: z.ZodType<{ kind: string[]; area: string[] }> | undefined;
/** kind / area only (exports and the print sheet). */
export function parseExportFilters(searchParams: URLSearchParams) {
  filterSchema ??= z.object({ kind: kinds, area: areas });
  return read(searchParams, filterSchema, []);
}

let csvSchema: z.ZodType<{ kind: string[]; area: string[]; encoding: "utf-8" | "cp932" }> | undefined;
export function parseCsvExportQuery(searchParams: URLSearchParams) {
  csvSchema ??= z
    .object({
      kind: kinds,
      area: areas,
      encoding: z
        .enum(["utf-8", "utf8", "cp932", "shift_jis", "sjis"], {
          error: () => "文字コード（encoding）は utf-8 か cp932 を指定してください。 / encoding must be utf-8 or cp932.",
        })
        .optional(),
    })
    .transform((v) => ({
      kind: v.kind,
      area: v.area,
      encoding: v.encoding === undefined || v.encoding.startsWith("utf") ? ("utf-8" as const) : ("cp932" as const),
    }));
  return read(searchParams, csvSchema, ["encoding"]);
}
