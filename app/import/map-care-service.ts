// 介護サービス事業所一覧 in the 自治体標準オープンデータセット layout (Kudamatsu) → resource drafts.
// The file has one row per (事業所, service): rows with the same name and address are one place,
// whose services list all of them; its id in the source is the group's lowest ID.
import type { CsvRecord, CsvTable, SkippedRow } from "./csv";
import { classifyRow } from "./kind-rules";
import { NO_NAME_REASON, NO_ROW_ID_REASON } from "./map-yaizu";
import {
  extractEmail,
  extractUrl,
  foldForComparison,
  normalizeDigitHyphens,
  normalizeLine,
  normalizePhone,
  normalizePostalCode,
  parseCoordinates,
  parseCount,
  presentOrNull,
  splitAddress,
} from "./normalize";
import { cleanResourceName, statusFromWords, targetGroupsFor, type MappedFile, type ResourceDraft } from "./resource-draft";
import { scheduleFromOpeningHours } from "./schedule-text";
import type { OpenDataSource, SourceKey } from "./sources";

function cell(record: CsvRecord, column: string): string {
  return record.values[column] ?? "";
}

/**
 * Misspelt 町字 seen in published files (PROVENANCE.md: Kudamatsu writes 「潮音朝3」 for 潮音町3,
 * while its own 所在地_連結表記 has it right).
 */
const TOWN_NAME_CORRECTIONS: readonly [RegExp, string][] = [[/^潮音朝/, "潮音町"]];

/**
 * The street address from 町字 + 番地以下, which are more reliable than 所在地_連結表記 in this file
 * (「大手町25-18」 for 大手町2-5-18); the joined form is the fallback when they are empty.
 */
function streetAddress(record: CsvRecord, source: OpenDataSource): { addressLine: string | null; prefecture: string | null; city: string | null } {
  const prefecture = presentOrNull(cell(record, "所在地_都道府県")) ?? source.municipality?.prefecture ?? null;
  const city = presentOrNull(cell(record, "所在地_市区町村")) ?? source.municipality?.city ?? null;
  let town = normalizeLine(cell(record, "所在地_町字"));
  for (const [pattern, replacement] of TOWN_NAME_CORRECTIONS) town = town.replace(pattern, replacement);
  const lot = normalizeDigitHyphens(normalizeLine(cell(record, "所在地_番地以下")));
  if (town) {
    const joiner = /\d$/.test(town) && /^\d/.test(lot) ? "-" : "";
    return { prefecture, city, addressLine: `${town}${joiner}${lot}` || null };
  }
  const joined = splitAddress(cell(record, "所在地_連結表記"), { prefecture, city }, { splitBuilding: true });
  return { prefecture: joined.prefecture, city: joined.city, addressLine: joined.addressLine };
}

interface ServiceRow {
  record: CsvRecord;
  id: string;
  name: string;
  rawName: string;
  service: string;
  address: ReturnType<typeof streetAddress>;
}

export function mapCareServiceList(table: CsvTable, source: OpenDataSource): MappedFile {
  const skipped: SkippedRow[] = [...table.problems];
  const groups = new Map<string, ServiceRow[]>();

  for (const record of table.records) {
    const rawName = normalizeLine(cell(record, "介護サービス事業所名称"));
    const name = cleanResourceName(rawName);
    const id = normalizeLine(cell(record, "ID"));
    if (!name) {
      skipped.push({ row: record.row, reason: NO_NAME_REASON });
      continue;
    }
    if (!id) {
      skipped.push({ row: record.row, reason: NO_ROW_ID_REASON, detail: name });
      continue;
    }
    const address = streetAddress(record, source);
    const key = `${foldForComparison(name)}|${foldForComparison(address.addressLine ?? "")}`;
    const group = groups.get(key) ?? [];
    group.push({ record, id, name, rawName, service: normalizeLine(cell(record, "実施サービス")), address });
    groups.set(key, group);
  }

  const drafts: ResourceDraft[] = [];
  for (const rows of groups.values()) {
    rows.sort((a, b) => a.id.localeCompare(b.id));
    const first = rows[0];
    const services = [...new Set(rows.map((row) => row.service).filter(Boolean))];
    const decision = classifyRow({ source: source.key as SourceKey, name: first.name, services, columns: first.record.values });
    if ("skip" in decision) {
      for (const row of rows) skipped.push({ row: row.record.row, reason: decision.skip, detail: `${row.name}（${row.service}）` });
      continue;
    }
    const kind = decision.kind;
    const pick = (read: (row: ServiceRow) => string | null): string | null => {
      for (const row of rows) {
        const value = read(row);
        if (value) return value;
      }
      return null;
    };
    const phones = [...new Set(rows.map((row) => normalizePhone(cell(row.record, "電話番号"))).filter(Boolean))];
    const located = rows.map((row) => parseCoordinates(cell(row.record, "緯度"), cell(row.record, "経度"))).find(Boolean) ?? null;
    const capacity = rows.map((row) => parseCount(cell(row.record, "定員"))).find((value) => value !== null) ?? null;
    const dayNote = pick((row) => presentOrNull(cell(row.record, "利用可能曜日特記事項")));
    const schedules =
      scheduleFromOpeningHours({ days: pick((row) => presentOrNull(cell(row.record, "利用可能曜日"))), note: null }) ?? [];
    const remark = pick((row) => presentOrNull(cell(row.record, "備考")));

    drafts.push({
      sourceRowId: first.id,
      row: first.record.row,
      schedules: schedules.map((schedule) => ({ ...schedule, note: null })),
      resource: {
        name: first.name,
        nameKana: pick((row) => presentOrNull(normalizeLine(cell(row.record, "介護サービス事業所名称_カナ")))),
        kind,
        services,
        description: remark,
        activities: [],
        targetGroups: targetGroupsFor(kind, [first.name, ...services]),
        conditions: [],
        costKind: "unknown",
        costYen: null,
        costNote: null,
        capacity,
        postalCode: pick((row) => normalizePostalCode(cell(row.record, "郵便番号"))),
        prefecture: first.address.prefecture,
        city: first.address.city,
        addressLine: first.address.addressLine,
        building: pick((row) => presentOrNull(normalizeLine(cell(row.record, "建物名等(方書)")))?.replace(/^\((.*)\)$/, "$1") ?? null),
        latitude: located?.latitude ?? null,
        longitude: located?.longitude ?? null,
        area: first.address.city,
        operator: pick((row) => presentOrNull(normalizeLine(cell(row.record, "法人の名称")))),
        phone: phones.length > 0 ? phones.join("、") : null,
        email: pick((row) => extractEmail(cell(row.record, "連絡先メールアドレス"))),
        url: pick((row) => extractUrl(cell(row.record, "URL"))),
        hoursNote: dayNote,
        accessNote: null,
        status: statusFromWords(rows.map((row) => row.rawName)),
        lastVerifiedOn: source.dataDate,
        sourceNote: null,
      },
    });
  }
  drafts.sort((a, b) => a.row - b.row);
  return { drafts, skipped, rowsRead: table.records.length + table.problems.length };
}
