// Yaizu's files → resource drafts. Two layouts: the 推奨データセット 公共施設一覧 (24 columns; also
// used for 子育て支援施設 and 地域交流センター) and 要配慮者利用施設 (the city's own 16 columns, whose 区分
// cell may name several services). Yaizu addresses omit the prefecture; the source supplies it.
import type { CsvRecord, CsvTable, SkippedRow } from "./csv";
import { classifyRow, splitServices } from "./kind-rules";
import {
  extractUrl,
  normalizeLine,
  normalizePhone,
  normalizePostalCode,
  parseCoordinates,
  presentOrNull,
  splitAddress,
} from "./normalize";
import {
  cleanResourceName,
  sortedConditions,
  statusFromWords,
  targetGroupsFor,
  type MappedFile,
  type ResourceDraft,
} from "./resource-draft";
import { scheduleFromOpeningHours } from "./schedule-text";
import type { Condition } from "../../db/vocabulary";
import type { OpenDataSource, SourceKey } from "./sources";

export const NO_NAME_REASON = "名称がない";
export const NO_ROW_ID_REASON = "行を識別する番号（NO/ID）がない";

function cell(record: CsvRecord, column: string): string {
  return record.values[column] ?? "";
}

function municipalityOf(source: OpenDataSource): { prefecture: string | null; city: string | null } {
  return { prefecture: source.municipality?.prefecture ?? null, city: source.municipality?.city ?? null };
}

/** 推奨データセット 公共施設一覧 layout (Yaizu 公共施設一覧, 子育て支援施設, 地域交流センター). */
export function mapFacilityList(table: CsvTable, source: OpenDataSource): MappedFile {
  const drafts: ResourceDraft[] = [];
  const skipped: SkippedRow[] = [...table.problems];
  const municipality = municipalityOf(source);

  for (const record of table.records) {
    const rawName = normalizeLine(cell(record, "名称"));
    const name = cleanResourceName(rawName);
    const sourceRowId = normalizeLine(cell(record, "NO"));
    if (!name) {
      skipped.push({ row: record.row, reason: NO_NAME_REASON });
      continue;
    }
    if (!sourceRowId) {
      skipped.push({ row: record.row, reason: NO_ROW_ID_REASON, detail: name });
      continue;
    }
    const remark = presentOrNull(cell(record, "備考"));
    const decision = classifyRow({ source: source.key as SourceKey, name, services: [], columns: record.values });
    if ("skip" in decision) {
      skipped.push({ row: record.row, reason: decision.skip, detail: name });
      continue;
    }
    const kind = decision.kind;
    const explanation = presentOrNull(cell(record, "説明"));
    const description = [explanation, remark].filter((text): text is string => Boolean(text)).join("\n") || null;
    const address = splitAddress(cell(record, "住所"), municipality);
    const coordinates = parseCoordinates(cell(record, "緯度"), cell(record, "経度"));
    const hoursNote = presentOrNull(cell(record, "利用可能日時特記事項"));
    const schedules =
      scheduleFromOpeningHours({
        days: cell(record, "利用可能曜日"),
        startTime: cell(record, "開始時間"),
        endTime: cell(record, "終了時間"),
        note: hoursNote,
      }) ?? [];
    const barrierFree = presentOrNull(cell(record, "バリアフリー情報"));
    const conditions: Condition[] = [];
    if (barrierFree) conditions.push("barrier_free");
    const free = explanation !== null && /無料/.test(explanation);
    if (free) conditions.push("free");
    if (explanation && /予約制|要予約|予約が必要/.test(explanation)) conditions.push("reservation");
    // 団体名 is the city department in charge (子育て支援課), which is who runs a public facility.
    const department = presentOrNull(cell(record, "団体名"));
    const operator = department && municipality.city && /[課室]$/.test(department) ? `${municipality.city} ${department}` : department;

    drafts.push({
      sourceRowId,
      row: record.row,
      schedules: schedules.map((schedule) => ({ ...schedule, note: null })),
      resource: {
        name,
        nameKana: presentOrNull(normalizeLine(cell(record, "名称_カナ"))),
        kind,
        services: [],
        description,
        activities: [],
        targetGroups: targetGroupsFor(kind, [name, remark ?? "", explanation ?? ""]),
        conditions: sortedConditions(conditions),
        costKind: free ? "free" : "unknown",
        costYen: free ? 0 : null,
        costNote: null,
        capacity: null,
        postalCode: null,
        prefecture: address.prefecture,
        city: address.city,
        addressLine: address.addressLine,
        building: presentOrNull(normalizeLine(cell(record, "方書"))) ?? address.building,
        latitude: coordinates?.latitude ?? null,
        longitude: coordinates?.longitude ?? null,
        area: address.city ?? municipality.city,
        operator,
        phone: normalizePhone(cell(record, "電話番号")),
        email: null,
        url: extractUrl(cell(record, "URL")),
        hoursNote,
        accessNote: barrierFree ? `バリアフリー情報：${barrierFree}` : null,
        status: statusFromWords([rawName]),
        lastVerifiedOn: source.dataDate,
        sourceNote: null,
      },
    });
  }
  return { drafts, skipped, rowsRead: table.records.length + table.problems.length };
}

/** Yaizu 要配慮者利用施設: one row per facility, 区分 naming one or several services. */
export function mapYohairyosya(table: CsvTable, source: OpenDataSource): MappedFile {
  const drafts: ResourceDraft[] = [];
  const skipped: SkippedRow[] = [...table.problems];
  const municipality = municipalityOf(source);

  for (const record of table.records) {
    const rawName = normalizeLine(cell(record, "要配慮者利用施設名称"));
    const name = cleanResourceName(rawName);
    // The header is 「№」, which NFKC turns into 「No」.
    const sourceRowId = normalizeLine(cell(record, "No"));
    if (!name) {
      skipped.push({ row: record.row, reason: NO_NAME_REASON });
      continue;
    }
    if (!sourceRowId) {
      skipped.push({ row: record.row, reason: NO_ROW_ID_REASON, detail: name });
      continue;
    }
    const services = splitServices(cell(record, "区分"));
    const decision = classifyRow({ source: source.key as SourceKey, name, services, columns: record.values });
    if ("skip" in decision) {
      skipped.push({ row: record.row, reason: decision.skip, detail: name });
      continue;
    }
    const kind = decision.kind;
    const address = splitAddress(cell(record, "所在地"), municipality, { splitBuilding: true });
    const coordinates = parseCoordinates(cell(record, "緯度"), cell(record, "経度"));
    // Home help under the disability department (居宅介護, 同行援護) is for disabled people, not elderly ones.
    const forDisability = /障害/.test(cell(record, "地域防災計画分類"));
    const baseTargets = forDisability && (kind === "care_service" || kind === "day_service") ? (["disability"] as const) : undefined;

    drafts.push({
      sourceRowId,
      row: record.row,
      schedules: [],
      resource: {
        name,
        nameKana: null,
        kind,
        services,
        description: null,
        activities: [],
        targetGroups: targetGroupsFor(kind, [name, ...services], baseTargets ? [...baseTargets] : undefined),
        conditions: [],
        costKind: "unknown",
        costYen: null,
        costNote: null,
        capacity: null,
        postalCode: normalizePostalCode(cell(record, "郵便番号")),
        prefecture: address.prefecture,
        city: address.city,
        addressLine: address.addressLine,
        building: address.building,
        latitude: coordinates?.latitude ?? null,
        longitude: coordinates?.longitude ?? null,
        area: address.city ?? municipality.city,
        operator: null,
        phone: normalizePhone(cell(record, "電話番号")),
        email: null,
        url: null,
        hoursNote: null,
        accessNote: null,
        status: statusFromWords([rawName]),
        lastVerifiedOn: source.dataDate,
        sourceNote: null,
      },
    });
  }
  return { drafts, skipped, rowsRead: table.records.length + table.problems.length };
}
