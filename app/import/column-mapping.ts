// A column mapping: which column of an arbitrary CSV layout holds which resource field, so files
// with any header (English headers, full-width times 「10：00」) import without a code change.
// `scripts/import.ts --mapping M.json` reads one; the 子育て施設一覧 layouts use built-in ones.
// Pure: maps a parsed table to drafts and rejections, no I/O.
import { createHash } from "node:crypto";
import { z } from "zod";
import { RESOURCE_KINDS, RESOURCE_KIND_CODES, type ResourceKind } from "../../db/vocabulary";
import type { CsvTable } from "./csv";
import { classifyRow, splitServices, SKIP_REASONS } from "./kind-rules";
import {
  extractEmail,
  extractUrl,
  foldForComparison,
  normalizeHeader,
  normalizeLine,
  normalizePhone,
  normalizePostalCode,
  parseCoordinates,
  parseCount,
  presentOrNull,
  splitAddress,
} from "./normalize";
import {
  cleanResourceName,
  statusFromWords,
  targetGroupsFor,
  validateDraft,
  type ResourceDraft,
  type ScheduleDraft,
} from "./resource-draft";
import { deriveSchedule, parseTime, parseWeekdays } from "./schedule-text";
import type { SourceKey } from "./sources";

const column = z.string().trim().min(1);

export const mappingSourceSchema = z.strictObject({
  key: z.string().trim().min(1).max(100).optional(),
  publisher: z.string().trim().min(1).optional(),
  dataset: z.string().trim().min(1).optional(),
  licence: z.string().trim().min(1).optional(),
  licenceUrl: z.string().trim().min(1).optional(),
  attribution: z.string().trim().min(1).optional(),
  sourceUrl: z.string().trim().min(1).optional(),
});

/** The mapping file: resource field → the file's column header (or a fixed kind). */
export const columnMappingSchema = z.strictObject({
  name: column,
  address: column.optional(),
  postalCode: column.optional(),
  latitude: column.optional(),
  longitude: column.optional(),
  phone: column.optional(),
  kind: z.union([column, z.strictObject({ value: z.string().trim().min(1) })]),
  id: column.optional(),
  nameKana: column.optional(),
  description: column.optional(),
  operator: column.optional(),
  url: column.optional(),
  email: column.optional(),
  capacity: column.optional(),
  hours: column.optional(),
  startTime: column.optional(),
  endTime: column.optional(),
  weekdays: column.optional(),
  source: mappingSourceSchema.optional(),
});

export type ColumnMapping = z.infer<typeof columnMappingSchema>;
export type MappingSource = z.infer<typeof mappingSourceSchema>;

/** A row the import will not store because it is broken, with the column at fault. */
export interface Rejection {
  row: number;
  column: string;
  reason: string;
}

/** A row that is fine but out of scope (a school, a nursery …): reported, never an error. */
export interface Exclusion {
  row: number;
  reason: string;
}

export interface MappedTable {
  drafts: ResourceDraft[];
  rejected: Rejection[];
  excluded: Exclusion[];
  rowsRead: number;
}

/** Built-in mappings for 子育て施設一覧: 推奨データセット (28 columns) and 正式版 (51 columns). */
export const CHILDCARE_RECOMMENDED_MAPPING: ColumnMapping = {
  name: "名称",
  nameKana: "名称_カナ",
  kind: "種別",
  id: "NO",
  address: "住所",
  latitude: "緯度",
  longitude: "経度",
  phone: "電話番号",
  operator: "団体名",
  capacity: "収容定員",
  weekdays: "利用可能曜日",
  startTime: "開始時間",
  endTime: "終了時間",
  url: "URL",
};
export const CHILDCARE_STANDARD_MAPPING: ColumnMapping = {
  name: "名称",
  nameKana: "名称_カナ",
  kind: "種別",
  id: "ID",
  address: "所在地_連結表記",
  latitude: "緯度",
  longitude: "経度",
  phone: "電話番号",
  capacity: "収容定員",
  weekdays: "利用可能曜日",
  startTime: "開始時間",
  endTime: "終了時間",
  url: "URL",
};

/** 公共施設一覧 正式版 (as STANDARD-FORMATS.md §1b expects it): the name decides the kind through the kind rules. */
export const FACILITY_STANDARD_MAPPING: ColumnMapping = {
  name: "名称",
  nameKana: "名称_カナ",
  kind: "名称",
  id: "ID",
  address: "所在地_連結表記",
  latitude: "緯度",
  longitude: "経度",
  phone: "電話番号",
  weekdays: "利用可能曜日",
  startTime: "開始時間",
  endTime: "終了時間",
  hours: "利用可能日時特記事項",
  description: "説明",
  url: "URL",
};

type ColumnField = Exclude<keyof ColumnMapping, "source" | "kind">;

/** The mapped columns missing from the header (empty when every one is there). */
export function missingColumns(mapping: ColumnMapping, header: readonly string[]): string[] {
  const present = new Set(header);
  const wanted: string[] = [];
  for (const [field, value] of Object.entries(mapping)) {
    if (field === "source" || value === undefined) continue;
    if (field === "kind" && typeof value !== "string") continue;
    if (typeof value === "string" && !present.has(normalizeHeader(value))) wanted.push(value);
  }
  return wanted;
}

const LABEL_TO_KIND = new Map<string, ResourceKind>();
for (const kind of RESOURCE_KINDS) {
  LABEL_TO_KIND.set(kind.label, kind.code);
  for (const part of kind.label.split(/[・（）()]/)) if (part) LABEL_TO_KIND.set(part, kind.code);
}

/** A kind code (`salon`) or label (「サロン・通いの場」「サロン」), or null. */
export function kindFromCodeOrLabel(value: string): ResourceKind | null {
  const text = normalizeLine(value);
  if ((RESOURCE_KIND_CODES as readonly string[]).includes(text)) return text as ResourceKind;
  return LABEL_TO_KIND.get(text) ?? null;
}

const ENGLISH_DAYS: [RegExp, string][] = [
  [/\b(?:mon|monday|mo)\b/gi, "月"],
  [/\b(?:tue|tues|tuesday|tu)\b/gi, "火"],
  [/\b(?:wed|wednesday|we)\b/gi, "水"],
  [/\b(?:thu|thur|thurs|thursday|th)\b/gi, "木"],
  [/\b(?:fri|friday|fr)\b/gi, "金"],
  [/\b(?:sat|saturday|sa)\b/gi, "土"],
  [/\b(?:sun|sunday|su)\b/gi, "日"],
];

/** 「月水金」「月~金」「Mon,Wed,Fri」「Mon-Fri」 → BYDAY codes, or null. */
export function parseWeekdayCell(text: string): string[] | null {
  let value = normalizeLine(text);
  if (/[A-Za-z]/.test(value)) {
    for (const [pattern, day] of ENGLISH_DAYS) value = value.replace(pattern, day);
    value = value.replace(/(?<=[月火水木金土日])\s*-\s*(?=[月火水木金土日])/g, "~").replace(/[\s,;/]+/g, "・");
  }
  return parseWeekdays(value, { allowHolidays: true });
}

const CITY_PREFIX = /^(.+?郡.+?[町村]|.+?市.+?区|.+?[市区町村])/;

function rowIdFromHash(name: string, address: string): string {
  return `h:${createHash("sha256").update(`${foldForComparison(name)}|${foldForComparison(address)}`).digest("hex").slice(0, 16)}`;
}

/** Maps every record of `table` through `mapping`; rejections name the column in the file's spelling. */
export function mapWithColumns(table: CsvTable, mapping: ColumnMapping, sourceKey: string): MappedTable {
  const rejected: Rejection[] = table.problems.map((problem) => ({ row: problem.row, column: "(行全体)", reason: problem.reason }));
  const excluded: Exclusion[] = [];
  const drafts: ResourceDraft[] = [];
  const seenIds = new Set<string>();

  for (const record of table.records) {
    const cell = (field: ColumnField): string => {
      const name = mapping[field];
      return name ? (record.values[normalizeHeader(name)] ?? "") : "";
    };
    const columnOf = (field: ColumnField | "kind"): string => {
      const value = mapping[field];
      return typeof value === "string" ? value : field;
    };
    const problems: Rejection[] = [];
    const reject = (field: ColumnField | "kind", reason: string) => problems.push({ row: record.row, column: columnOf(field), reason });

    const rawName = normalizeLine(cell("name"));
    const name = cleanResourceName(rawName);
    if (!name) reject("name", "名称が空です");

    let kind: ResourceKind | null = null;
    let services: string[] = [];
    if (typeof mapping.kind === "string") {
      const value = normalizeLine(record.values[normalizeHeader(mapping.kind)] ?? "");
      // A kind taken from the name (公共施設一覧) classifies by the name alone: no services.
      services = value && mapping.kind !== mapping.name ? splitServices(value) : [];
      kind = value ? kindFromCodeOrLabel(value) : null;
      if (!kind && name) {
        const decision = classifyRow({ source: sourceKey as SourceKey, name, services, columns: record.values });
        if ("kind" in decision) kind = decision.kind;
        else if (decision.skip !== SKIP_REASONS.unclassified) {
          excluded.push({ row: record.row, reason: decision.skip });
          continue;
        } else reject("kind", value ? `種別「${value}」をどの種類にも分類できません` : "種別が空です");
      }
    } else {
      kind = kindFromCodeOrLabel(mapping.kind.value);
    }

    const addressText = normalizeLine(cell("address"));
    const prefectureCity = splitAddress(addressText, { prefecture: null, city: null }, { splitBuilding: true });
    const cityMatch = prefectureCity.city ? null : CITY_PREFIX.exec(prefectureCity.addressLine ?? "");
    const city = prefectureCity.city ?? cityMatch?.[1] ?? null;
    const addressLine = cityMatch ? (prefectureCity.addressLine ?? "").slice(cityMatch[1].length) || null : prefectureCity.addressLine;

    let latitude: number | null = null;
    let longitude: number | null = null;
    const latText = cell("latitude");
    const lngText = cell("longitude");
    if (latText || lngText) {
      const point = parseCoordinates(latText, lngText);
      if (point) ({ latitude, longitude } = point);
      else reject(latText ? "latitude" : "longitude", "緯度・経度が数値でないか、日本の範囲外です");
    }

    const phoneText = presentOrNull(cell("phone"));
    const phone = normalizePhone(phoneText);
    if (phoneText && !phone) reject("phone", `電話番号として読めません（${phoneText}）`);

    const postalText = presentOrNull(cell("postalCode"));
    const postalCode = normalizePostalCode(postalText);
    if (postalText && !postalCode) reject("postalCode", `郵便番号として読めません（${postalText}）`);

    const capacityText = presentOrNull(cell("capacity"));
    const capacity = parseCount(capacityText);

    const startText = presentOrNull(cell("startTime"));
    const endText = presentOrNull(cell("endTime"));
    const startTime = parseTime(startText);
    const endTime = parseTime(endText);
    if (startText && !startTime) reject("startTime", `時刻として読めません（${startText}）。10:00 の形で書いてください`);
    if (endText && !endTime) reject("endTime", `時刻として読めません（${endText}）。17:00 の形で書いてください`);
    if (startTime && endTime && endTime <= startTime) reject("endTime", "終了時刻が開始時刻より前です");

    const weekdayText = presentOrNull(cell("weekdays"));
    const weekdays = weekdayText ? parseWeekdayCell(weekdayText) : null;
    if (weekdayText && !weekdays) reject("weekdays", `曜日として読めません（${weekdayText}）`);

    const hoursText = presentOrNull(cell("hours"));
    const schedules: ScheduleDraft[] = [];
    const hoursParts: string[] = [];
    if (weekdays && weekdays.length > 0) {
      schedules.push({ rrule: `FREQ=WEEKLY;BYDAY=${weekdays.join(",")}`, startTime, endTime, note: null });
    } else if (startTime || endTime) {
      hoursParts.push(`${startTime ?? ""}～${endTime ?? ""}`);
    }
    if (hoursText) {
      hoursParts.push(hoursText);
      const derived = schedules.length === 0 ? deriveSchedule(hoursText) : null;
      if (derived) schedules.push({ ...derived, note: null });
    }

    if (!kind && problems.length === 0) reject("kind", "種類を決められません");
    if (problems.length > 0 || !kind) {
      rejected.push(...problems);
      continue;
    }

    const sourceRowId = normalizeLine(cell("id")) || rowIdFromHash(name, addressText);
    if (seenIds.has(sourceRowId)) {
      rejected.push({ row: record.row, column: mapping.id ?? "(名称+住所)", reason: `行の識別子「${sourceRowId}」が前の行と重複しています` });
      continue;
    }
    seenIds.add(sourceRowId);

    const description = presentOrNull(cell("description"));
    const draft: ResourceDraft = {
      sourceRowId,
      row: record.row,
      schedules,
      resource: {
        name,
        nameKana: presentOrNull(cell("nameKana")),
        kind,
        services,
        description,
        activities: [],
        targetGroups: targetGroupsFor(kind, [name, description ?? "", ...services]),
        conditions: [],
        costKind: "unknown",
        costYen: null,
        costNote: null,
        capacity,
        postalCode,
        prefecture: prefectureCity.prefecture,
        city,
        addressLine,
        building: prefectureCity.building,
        latitude,
        longitude,
        area: city,
        operator: presentOrNull(cell("operator")),
        phone,
        email: extractEmail(cell("email")),
        url: extractUrl(cell("url")),
        hoursNote: hoursParts.length > 0 ? hoursParts.join("\n") : null,
        accessNote: null,
        status: statusFromWords([rawName]),
        lastVerifiedOn: null,
        sourceNote: null,
      },
    };
    const invalid = validateDraft(draft);
    if (invalid) {
      rejected.push({ row: record.row, column: "(行全体)", reason: invalid.reason });
      continue;
    }
    drafts.push(draft);
  }
  rejected.sort((a, b) => a.row - b.row);
  return { drafts, rejected, excluded, rowsRead: table.records.length + table.problems.length };
}
