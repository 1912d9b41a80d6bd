// Open-data export of the public directory (issue 5 §6): published resources with their schedules
// and the credit their source requires, as a 標準OD-style 公共施設一覧 CSV (UTF-8 with BOM, or
// CP932 with every character CP932 cannot hold reported), HSDS 3.0 JSON and GeoJSON.
// Only review_status = 'published' rows leave the database, and only directory fields: nothing
// about people (no registering coordinator, no review notes, no correction-report contacts).
import { and, asc, count, eq, inArray, type SQL } from "drizzle-orm";
import iconv from "iconv-lite";
import { getDatabase, type Database } from "../../db/client.server";
import { resources, schedules, sources } from "../../db/schema";
import { PUBLIC_RESOURCE_COLUMNS } from "./resource.server";
import { conditionLabel, kindLabel, WEEKDAYS } from "../../db/vocabulary";
import { formatAddress } from "~/utils/format";
import { describeSchedule, describeSchedules } from "~/utils/schedule";

export interface ExportSchedule {
  rrule: string;
  startsOn: string;
  startTime: string | null;
  endTime: string | null;
  exceptionDates: string[];
  note: string | null;
}

export interface ExportSource {
  key: string;
  publisher: string;
  dataset: string;
  licence: string;
  licenceUrl: string | null;
  attribution: string;
  sourceUrl: string | null;
}

export interface ExportFilters {
  kind?: string[];
  area?: string[];
}

const publicColumns = {
  ...PUBLIC_RESOURCE_COLUMNS,
  source: { ...PUBLIC_RESOURCE_COLUMNS.source, key: sources.key },
};

function publicWhere(filters: ExportFilters): SQL | undefined {
  const conditions: SQL[] = [eq(resources.reviewStatus, "published")];
  if (filters.kind && filters.kind.length > 0) conditions.push(inArray(resources.kind, filters.kind));
  if (filters.area && filters.area.length > 0) conditions.push(inArray(resources.area, filters.area));
  return and(...conditions);
}

async function attachSchedules<T extends { id: number; source: ExportSource | null }>(db: Database, rows: T[]) {
  const ids = rows.map((r) => r.id);
  const sessionRows =
    ids.length === 0
      ? []
      : await db
          .select({
            resourceId: schedules.resourceId,
            rrule: schedules.rrule,
            startsOn: schedules.startsOn,
            startTime: schedules.startTime,
            endTime: schedules.endTime,
            exceptionDates: schedules.exceptionDates,
            note: schedules.note,
          })
          .from(schedules)
          .where(inArray(schedules.resourceId, ids))
          .orderBy(asc(schedules.id));
  const byResource = new Map<number, ExportSchedule[]>();
  for (const { resourceId, ...session } of sessionRows) {
    byResource.set(resourceId, [...(byResource.get(resourceId) ?? []), session]);
  }
  // A left join yields an object of nulls when the resource was registered by hand.
  return rows.map((row) => ({
    ...row,
    source: row.source?.publisher ? row.source : null,
    schedules: byResource.get(row.id) ?? [],
  }));
}

/** Every published resource (optionally filtered by kind / area), in id order, with schedules and source. */
export async function listExportResources(filters: ExportFilters = {}, database?: Database) {
  const db = database ?? (await getDatabase()).db;
  const rows = await db
    .select(publicColumns)
    .from(resources)
    .leftJoin(sources, eq(sources.id, resources.sourceId))
    .where(publicWhere(filters))
    .orderBy(asc(resources.id));
  return attachSchedules(db, rows as (typeof rows[number] & { source: ExportSource | null })[]);
}

export type ExportResource = Awaited<ReturnType<typeof listExportResources>>[number];

/** One page of published resources for /api/resources. */
export async function pageExportResources(
  options: ExportFilters & { page: number; limit: number },
  database?: Database
): Promise<{ total: number; items: ExportResource[] }> {
  const db = database ?? (await getDatabase()).db;
  const where = publicWhere(options);
  const [{ total }] = await db.select({ total: count() }).from(resources).where(where);
  const rows = await db
    .select(publicColumns)
    .from(resources)
    .leftJoin(sources, eq(sources.id, resources.sourceId))
    .where(where)
    .orderBy(asc(resources.id))
    .offset((options.page - 1) * options.limit)
    .limit(options.limit);
  const items = await attachSchedules(db, rows as (typeof rows[number] & { source: ExportSource | null })[]);
  return { total, items };
}

/** The credit line of a resource: its source's attribution, plus the per-row note where one exists. */
export function attributionOf(resource: Pick<ExportResource, "source" | "sourceNote">): string {
  if (!resource.source) return "地域資源ポータル（登録情報）";
  return resource.sourceNote ? `${resource.source.attribution}（${resource.sourceNote}）` : resource.source.attribution;
}

/** The JSON shape of one resource in /api/resources. */
export function toApiResource(resource: ExportResource) {
  return {
    id: resource.id,
    name: resource.name,
    nameKana: resource.nameKana,
    kind: resource.kind,
    kindLabel: kindLabel(resource.kind),
    services: resource.services,
    description: resource.description,
    targetGroups: resource.targetGroups,
    conditions: resource.conditions,
    cost: { kind: resource.costKind, yen: resource.costYen, note: resource.costNote },
    capacity: resource.capacity,
    address: {
      postalCode: resource.postalCode,
      prefecture: resource.prefecture,
      city: resource.city,
      line: resource.addressLine,
      building: resource.building,
      text: formatAddress(resource),
    },
    latitude: resource.latitude,
    longitude: resource.longitude,
    area: resource.area,
    operator: resource.operator,
    phone: resource.phone,
    url: resource.url,
    hoursNote: resource.hoursNote,
    status: resource.status,
    lastVerifiedOn: resource.lastVerifiedOn,
    schedules: resource.schedules.map((s) => ({ ...s, text: describeSchedule(s) })),
    attribution: {
      text: attributionOf(resource),
      licence: resource.source?.licence ?? null,
      licenceUrl: resource.source?.licenceUrl ?? null,
      sourceUrl: resource.source?.sourceUrl ?? null,
    },
  };
}

// ---- 標準OD CSV (公共施設一覧, 推奨データセット 24 columns + portal columns) ---------------------

/** The 24 columns of the 公共施設一覧 推奨データセット, in order (../shared/data/STANDARD-FORMATS.md §1a). */
export const FACILITY_LIST_COLUMNS = [
  "都道府県コード又は市区町村コード",
  "NO",
  "都道府県名",
  "市区町村名",
  "名称",
  "名称_カナ",
  "名称_通称",
  "POIコード",
  "住所",
  "方書",
  "緯度",
  "経度",
  "電話番号",
  "内線番号",
  "法人番号",
  "団体名",
  "利用可能曜日",
  "開始時間",
  "終了時間",
  "利用可能日時特記事項",
  "説明",
  "バリアフリー情報",
  "URL",
  "備考",
] as const;

/**
 * Columns the standard has no place for, appended after the 24: the portal's kind code, the
 * schedules as RRULEs (one line each: `開始日|RRULE|開始時刻|終了時刻|除外日,…`), and the credit,
 * which a CSV cannot carry as a header comment.
 */
export const PORTAL_COLUMNS = ["種別", "種別コード", "日程_RRULE", "出典", "ライセンス", "ライセンスURL"] as const;
export const CSV_COLUMNS = [...FACILITY_LIST_COLUMNS, ...PORTAL_COLUMNS] as const;

const BYDAY_CHAR = new Map<string, string>(WEEKDAYS.map((w) => [w.code, w.label]));
const ACCESSIBILITY_CONDITIONS = new Set(["barrier_free", "parking", "sougei"]);

export function formatScheduleCell(s: ExportSchedule): string {
  return [s.startsOn, s.rrule, s.startTime ?? "", s.endTime ?? "", s.exceptionDates.join(",")].join("|");
}

export function parseScheduleCell(cell: string): ExportSchedule[] {
  return cell
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [startsOn = "", rrule = "", startTime = "", endTime = "", exceptions = ""] = line.split("|");
      return {
        startsOn,
        rrule,
        startTime: startTime || null,
        endTime: endTime || null,
        exceptionDates: exceptions ? exceptions.split(",") : [],
        note: null,
      };
    });
}

function weekdaysOf(list: ExportSchedule[]): string {
  const days = new Set<string>();
  for (const s of list) {
    const byday = /(?:^|;)BYDAY=([^;]+)/.exec(s.rrule)?.[1];
    for (const part of byday?.split(",") ?? []) days.add(part.replace(/^[+-]?\d+/, ""));
  }
  return WEEKDAYS.filter((w) => days.has(w.code))
    .map((w) => BYDAY_CHAR.get(w.code))
    .join(",");
}

export function csvRow(resource: ExportResource): Record<(typeof CSV_COLUMNS)[number], string> {
  const first = resource.schedules[0];
  const hours = [describeSchedules(resource.schedules), resource.hoursNote].filter(Boolean).join("。");
  const num = (n: number | null) => (n === null ? "" : String(n));
  return {
    都道府県コード又は市区町村コード: "",
    NO: String(resource.id),
    都道府県名: resource.prefecture ?? "",
    市区町村名: resource.city ?? "",
    名称: resource.name,
    名称_カナ: resource.nameKana ?? "",
    名称_通称: "",
    POIコード: "",
    住所: formatAddress({ ...resource, building: null }),
    方書: resource.building ?? "",
    緯度: num(resource.latitude),
    経度: num(resource.longitude),
    電話番号: resource.phone ?? "",
    内線番号: "",
    法人番号: "",
    団体名: resource.operator ?? "",
    利用可能曜日: weekdaysOf(resource.schedules),
    開始時間: first?.startTime ?? "",
    終了時間: first?.endTime ?? "",
    利用可能日時特記事項: hours,
    説明: resource.description ?? "",
    バリアフリー情報: resource.conditions.filter((c) => ACCESSIBILITY_CONDITIONS.has(c)).map(conditionLabel).join(";"),
    URL: resource.url ?? "",
    備考: kindLabel(resource.kind),
    種別: kindLabel(resource.kind),
    種別コード: resource.kind,
    日程_RRULE: resource.schedules.map(formatScheduleCell).join("\n"),
    出典: attributionOf(resource),
    ライセンス: resource.source?.licence ?? "",
    ライセンスURL: resource.source?.licenceUrl ?? "",
  };
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The CSV text (CRLF line ends, as Excel and municipal tools expect), without BOM. */
export function toCsvText(list: ExportResource[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const resource of list) {
    const row = csvRow(resource);
    lines.push(CSV_COLUMNS.map((column) => csvCell(row[column])).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** A character CP932 has no code for, where it was (row 2 = first record, as a spreadsheet counts). */
export interface UnmappableCharacter {
  row: number;
  column: string;
  character: string;
  codePoint: string;
}

export type CsvEncoding = "utf-8" | "cp932";

/**
 * The CSV as bytes: UTF-8 with a BOM (Excel opens it as UTF-8), or CP932. CP932 cannot hold every
 * character (髙 is fine, 𠮷 and most emoji are not): each such character becomes 〓 (the geta mark
 * Japanese publishers use for it) and is listed in `unmappable`, never silently dropped.
 */
export function encodeCsv(list: ExportResource[], encoding: CsvEncoding = "utf-8"): { bytes: Uint8Array<ArrayBuffer>; unmappable: UnmappableCharacter[] } {
  const text = toCsvText(list);
  if (encoding === "utf-8") {
    return { bytes: Uint8Array.from(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")])), unmappable: [] };
  }
  const unmappable: UnmappableCharacter[] = [];
  const lines: string[] = [CSV_COLUMNS.join(",")];
  list.forEach((resource, index) => {
    const row = csvRow(resource);
    const cells = CSV_COLUMNS.map((column) => {
      const value = row[column];
      if (iconv.decode(iconv.encode(value, "cp932"), "cp932") === value) return csvCell(value);
      let cleaned = "";
      for (const character of value) {
        if (iconv.decode(iconv.encode(character, "cp932"), "cp932") === character) {
          cleaned += character;
        } else {
          unmappable.push({
            row: index + 2,
            column,
            character,
            codePoint: `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`,
          });
          cleaned += "〓";
        }
      }
      return csvCell(cleaned);
    });
    lines.push(cells.join(","));
  });
  return { bytes: Uint8Array.from(iconv.encode(`${lines.join("\r\n")}\r\n`, "cp932")), unmappable };
}

// ---- HSDS 3.0 -----------------------------------------------------------------------------------

/** RRULE parts HSDS 3.0 names: `freq`, `interval`, `byday`, `bymonthday`, `until`, `count`, `wkst`. */
function rrulePartsOf(rrule: string): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const piece of rrule.replace(/^RRULE:/, "").split(";")) {
    const [key, value] = piece.split("=");
    if (key && value !== undefined) parts[key.toUpperCase()] = value;
  }
  return parts;
}

const HSDS_STATUS: Record<string, string> = { active: "active", paused: "temporarily closed", closed: "defunct" };
const HSDS_STATUS_BACK: Record<string, string> = { active: "active", "temporarily closed": "paused", defunct: "closed", inactive: "paused" };

function hhmmss(time: string | null): string | null {
  if (!time) return null;
  const match = /^(\d{1,2}):?(\d{2})/.exec(time);
  return match ? `${match[1].padStart(2, "0")}:${match[2]}:00` : null;
}

export interface HsdsAttribution {
  text: string;
  source_key: string | null;
  publisher: string | null;
  dataset: string | null;
  licence: string | null;
  licence_url: string | null;
  source_url: string | null;
}

export function toHsds(list: ExportResource[], generatedAt = new Date()) {
  const organizations = new Map<string, { id: string; name: string; description: string | null }>();
  const service: Record<string, unknown>[] = [];
  const location: Record<string, unknown>[] = [];
  const serviceAtLocation: Record<string, unknown>[] = [];
  const schedule: Record<string, unknown>[] = [];

  for (const r of list) {
    const orgName = r.operator ?? r.source?.publisher ?? "地域資源ポータル";
    if (!organizations.has(orgName)) {
      organizations.set(orgName, { id: `org-${organizations.size + 1}`, name: orgName, description: null });
    }
    const serviceId = `service-${r.id}`;
    const locationId = `location-${r.id}`;
    const salId = `sal-${r.id}`;
    const attribution: HsdsAttribution = {
      text: attributionOf(r),
      source_key: r.source?.key ?? null,
      publisher: r.source?.publisher ?? null,
      dataset: r.source?.dataset ?? null,
      licence: r.source?.licence ?? null,
      licence_url: r.source?.licenceUrl ?? null,
      source_url: r.source?.sourceUrl ?? null,
    };
    service.push({
      id: serviceId,
      organization_id: organizations.get(orgName)?.id,
      name: r.name,
      alternate_name: r.nameKana,
      description: r.description,
      url: r.url,
      email: r.email,
      status: HSDS_STATUS[r.status] ?? "active",
      fees_description: [r.costKind === "free" ? "無料" : r.costYen !== null ? `${r.costYen}円` : null, r.costNote].filter(Boolean).join(" ") || null,
      eligibility_description: r.targetGroups.length > 0 ? r.targetGroups.join(",") : null,
      last_modified: r.lastVerifiedOn,
      phones: r.phone ? [{ id: `phone-${r.id}`, service_id: serviceId, number: r.phone, type: "voice" }] : [],
      attribution,
      // The portal's own fields HSDS has no column for, so an HSDS import restores the entry.
      x_chiiki: {
        resource_id: r.id,
        kind: r.kind,
        kind_label: kindLabel(r.kind),
        services: r.services,
        activities: r.activities,
        target_groups: r.targetGroups,
        conditions: r.conditions,
        cost_kind: r.costKind,
        cost_yen: r.costYen,
        cost_note: r.costNote,
        capacity: r.capacity,
        operator: r.operator,
        area: r.area,
        hours_note: r.hoursNote,
        source_note: r.sourceNote,
        status: r.status,
      },
    });
    location.push({
      id: locationId,
      location_type: "physical",
      name: r.name,
      latitude: r.latitude,
      longitude: r.longitude,
      transportation: r.accessNote,
      addresses: [
        {
          id: `address-${r.id}`,
          location_id: locationId,
          address_1: r.addressLine ?? "",
          address_2: r.building,
          city: r.city ?? "",
          state_province: r.prefecture ?? "",
          postal_code: r.postalCode ?? "",
          country: "JP",
          address_type: "physical",
        },
      ],
    });
    serviceAtLocation.push({ id: salId, service_id: serviceId, location_id: locationId });
    r.schedules.forEach((s, index) => {
      const parts = rrulePartsOf(s.rrule);
      schedule.push({
        id: `schedule-${r.id}-${index + 1}`,
        service_id: serviceId,
        service_at_location_id: salId,
        dtstart: s.startsOn,
        valid_from: s.startsOn,
        freq: parts.FREQ ?? null,
        interval: parts.INTERVAL ? Number(parts.INTERVAL) : null,
        byday: parts.BYDAY ?? null,
        bymonthday: parts.BYMONTHDAY ?? null,
        until: parts.UNTIL ?? null,
        count: parts.COUNT ? Number(parts.COUNT) : null,
        wkst: parts.WKST ?? null,
        opens_at: hhmmss(s.startTime),
        closes_at: hhmmss(s.endTime),
        description: describeSchedule(s),
        notes: s.note,
        rrule: s.rrule,
        x_exception_dates: s.exceptionDates,
      });
    });
  }

  const sourcesUsed = new Map<string, HsdsAttribution>();
  for (const s of service) {
    const a = s.attribution as HsdsAttribution;
    sourcesUsed.set(a.text, a);
  }
  return {
    hsds_version: "3.0",
    generated_at: generatedAt.toISOString(),
    publisher: "地域資源ポータル",
    attribution: [...sourcesUsed.values()],
    organization: [...organizations.values()],
    service,
    location,
    service_at_location: serviceAtLocation,
    schedule,
  };
}

export type HsdsDocument = ReturnType<typeof toHsds>;

// ---- GeoJSON ------------------------------------------------------------------------------------

export function toGeoJson(list: ExportResource[]) {
  const located = list.filter((r) => r.latitude !== null && r.longitude !== null);
  const credits = [...new Set(located.map(attributionOf))];
  return {
    type: "FeatureCollection" as const,
    attribution: credits,
    features: located.map((r) => ({
      type: "Feature" as const,
      id: r.id,
      geometry: { type: "Point" as const, coordinates: [r.longitude as number, r.latitude as number] },
      properties: {
        id: r.id,
        name: r.name,
        kind: r.kind,
        kindLabel: kindLabel(r.kind),
        address: formatAddress(r),
        phone: r.phone,
        url: r.url,
        status: r.status,
        schedule: describeSchedules(r.schedules),
        rrules: r.schedules.map((s) => s.rrule),
        hoursNote: r.hoursNote,
        attribution: attributionOf(r),
        licence: r.source?.licence ?? null,
        licenceUrl: r.source?.licenceUrl ?? null,
      },
    })),
  };
}

export { HSDS_STATUS_BACK };
