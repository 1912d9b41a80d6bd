// Tokyo 子ども食堂 (the merged kitchen-baton file) → resource drafts. Each row credits its own
// publisher (_自治体名 / _データセット名); many rows have no ID, no coordinates or no schedule. Rows
// that 東京都福祉局 lists again after a ward has listed them are skipped as duplicates.
import type { Condition, TargetGroup } from "../../db/vocabulary";
import type { CsvRecord, CsvTable, SkippedRow } from "./csv";
import { classifyRow } from "./kind-rules";
import { NO_NAME_REASON } from "./map-yaizu";
import {
  extractEmail,
  extractUrl,
  foldForComparison,
  normalizeLine,
  normalizePhone,
  parseCoordinates,
  parseCount,
  parseYen,
  presentOrNull,
  splitAddress,
} from "./normalize";
import {
  cleanResourceName,
  sortedConditions,
  statusFromWords,
  targetGroupsFor,
  type ImportedResource,
  type MappedFile,
  type ResourceDraft,
} from "./resource-draft";
import { isSameFacility } from "./same-facility";
import { scheduleFromEventColumns } from "./schedule-text";
import type { OpenDataSource, SourceKey } from "./sources";

const METROPOLITAN_OFFICE = "東京都福祉局";
export const TOKYO_DUPLICATE_REASON = "重複（区市町村の一覧に同じ子ども食堂がある）";

function cell(record: CsvRecord, column: string): string {
  return record.values[column] ?? "";
}

const FEE_COLUMNS = [
  ["参加費_幼児", "幼児"],
  ["参加費_小学生", "小学生"],
  ["参加費_中学生", "中学生"],
  ["参加費_高校生", "高校生"],
  ["参加費_大人", "大人"],
] as const;

/** Children's fee first: a 子ども食堂 is for them; adults' fees go into the note. */
function costOf(record: CsvRecord): Pick<ImportedResource, "costKind" | "costYen" | "costNote"> {
  const fees = FEE_COLUMNS.map(([column, label]) => ({ label, yen: parseYen(cell(record, column)) }));
  const childFee = ["小学生", "幼児", "中学生", "高校生"]
    .map((label) => fees.find((fee) => fee.label === label)?.yen ?? null)
    .find((yen) => yen !== null);
  const feeNote = presentOrNull(cell(record, "参加費特記事項"));
  const listed = fees.filter((fee) => fee.yen !== null).map((fee) => `${fee.label} ${fee.yen}円`);
  const costNote = [listed.length > 0 ? listed.join("、") : null, feeNote].filter(Boolean).join("\n") || null;
  if (childFee !== undefined && childFee !== null) {
    return { costKind: childFee === 0 ? "free" : "amount", costYen: childFee, costNote };
  }
  if (feeNote && childrenEatFree(feeNote)) return { costKind: "free", costYen: 0, costNote };
  return { costKind: "unknown", costYen: null, costNote };
}

/** 「こども無料」「18歳以下：無料」「高校生以下：無料」: free for children of school age (not 「3歳以下は無料」). */
function childrenEatFree(note: string): boolean {
  if (/^無料/.test(note)) return true;
  const match = /(こども|子ども|子供|(\d+)歳(?:以下|まで|未満)(?:の方)?|(?:高校生|中学生|小学生)(?:以下|まで))\s*[:：]?\s*(?:は)?無料/.exec(note);
  if (!match) return false;
  return match[2] === undefined || Number(match[2]) >= 12;
}

function needsReservation(record: CsvRecord): boolean {
  const method = presentOrNull(cell(record, "予約方法"));
  if (method && !/不要|予約なし|^なし$/.test(method)) return true;
  const note = presentOrNull(cell(record, "予約特記事項")) ?? "";
  return /事前予約|要予約|予約制|予約必要|要申込|申込み|申し込み/.test(note) && !/^[^。]*予約不要/.test(note);
}

function activitiesOf(record: CsvRecord): string[] {
  const listed = (presentOrNull(cell(record, "実施支援の主な区分")) ?? "")
    .split(/[;；、,\n]/)
    .map((item) => item.replace(/^[・\s]+/, "").trim())
    .filter((item) => item && item !== "該当なし");
  if (cell(record, "フードパントリー実施").trim() === "1") listed.push("フードパントリー");
  if (cell(record, "テイクアウト実施").trim() === "1") listed.push("テイクアウト");
  return [...new Set(listed)];
}

/** Rows without an ID get one from their publisher and name, which is stable while the row is. */
function rowIdentity(record: CsvRecord, municipality: string, name: string, taken: Set<string>): string {
  const id = normalizeLine(cell(record, "ID"));
  const base = id ? `${municipality}:${id}` : `${municipality}:${foldForComparison(name)}`;
  let candidate = base;
  if (taken.has(candidate)) candidate = `${base}:${foldForComparison(name)}`;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}:${foldForComparison(name)}#${n}`;
  taken.add(candidate);
  return candidate;
}

export function mapTokyoKodomoShokudo(table: CsvTable, source: OpenDataSource): MappedFile {
  const skipped: SkippedRow[] = [...table.problems];
  const drafts: (ResourceDraft & { municipality: string })[] = [];
  // The municipalities named anywhere in the file, so 「町田市小川3-2-3」 splits at 町田市, not at 町.
  const knownCities = [
    ...new Set(
      table.records
        .flatMap((record) => [cell(record, "市区町村名"), cell(record, "_自治体名")])
        .map((value) => normalizeLine(value))
        .filter((value) => value && value !== METROPOLITAN_OFFICE),
    ),
  ];
  const taken = new Set<string>();

  for (const record of table.records) {
    const rawName = normalizeLine(cell(record, "名称"));
    const name = cleanResourceName(rawName);
    const municipality = normalizeLine(cell(record, "_自治体名")) || "不明";
    if (!name) {
      skipped.push({ row: record.row, reason: NO_NAME_REASON, detail: municipality });
      continue;
    }
    const decision = classifyRow({ source: source.key as SourceKey, name, services: [], columns: record.values });
    if ("skip" in decision) {
      skipped.push({ row: record.row, reason: decision.skip, detail: name });
      continue;
    }
    const kind = decision.kind;
    const statedCity = presentOrNull(normalizeLine(cell(record, "市区町村名")));
    const publisherCity = municipality !== METROPOLITAN_OFFICE ? municipality : null;
    const building = presentOrNull(normalizeLine(cell(record, "方書")));
    // Without a 方書, the building is often written after the street number (「…7-1 嶺町文化センター2F」).
    const address = splitAddress(
      cell(record, "住所"),
      { prefecture: "東京都", city: statedCity ?? publisherCity, knownCities },
      { splitBuilding: building === null },
    );
    const area = statedCity ?? publisherCity ?? address.city;
    const coordinates = parseCoordinates(cell(record, "緯度"), cell(record, "経度"));

    const frequency = presentOrNull(cell(record, "開催頻度"));
    const weekdays = presentOrNull(cell(record, "開催曜日"));
    const dates = presentOrNull(cell(record, "開催日"));
    const startTime = presentOrNull(cell(record, "開催開始時間"));
    const endTime = presentOrNull(cell(record, "開催終了時間"));
    const scheduleNote = presentOrNull(cell(record, "開催日時特記事項"));
    const derived = scheduleFromEventColumns({ frequency, weekdays, dates, startTime, endTime, note: scheduleNote });
    // Some wards code 開催頻度 as bare numbers with no published key: they mean nothing to a reader.
    const frequencyText = frequency && !/^\d+$/.test(frequency) ? frequency : null;
    const hoursNote = derived
      ? [derived.qualified ? frequencyText ?? dates : null, scheduleNote].filter(Boolean).join("\n") || null
      : [
          frequencyText,
          weekdays ? `開催曜日：${weekdays}` : null,
          dates ? `開催日：${dates}` : null,
          startTime || endTime ? `時間：${startTime ?? ""}~${endTime ?? ""}` : null,
          scheduleNote,
        ]
          .filter(Boolean)
          .join("\n") || null;

    const conditionsText = presentOrNull(cell(record, "参加条件"));
    const purpose = presentOrNull(cell(record, "設置目的"));
    const remark = presentOrNull(cell(record, "備考"));
    const description =
      [purpose, conditionsText ? `参加条件：${conditionsText}` : null, remark].filter(Boolean).join("\n") || null;
    const cost = costOf(record);
    const conditions: Condition[] = [];
    if (cost.costKind === "free") conditions.push("free");
    if (needsReservation(record)) conditions.push("reservation");
    const bookingNote = presentOrNull(cell(record, "予約特記事項"));
    const bookingPhone = bookingNote && /^[\d\-() ]+$/.test(bookingNote) ? normalizePhone(bookingNote) : null;
    const targets: TargetGroup[] = targetGroupsFor(kind, [name, conditionsText ?? "", purpose ?? ""]);
    const dataset = normalizeLine(cell(record, "_データセット名")) || "子ども食堂一覧";
    const licence = normalizeLine(cell(record, "_ライセンス"));

    drafts.push({
      municipality,
      sourceRowId: rowIdentity(record, municipality, name, taken),
      row: record.row,
      schedules: derived ? [{ ...derived.schedule, note: null }] : [],
      resource: {
        name,
        nameKana: presentOrNull(normalizeLine(cell(record, "名称_カナ"))),
        kind,
        services: ["子ども食堂"],
        description,
        activities: activitiesOf(record),
        targetGroups: targets,
        conditions: sortedConditions(conditions),
        ...cost,
        capacity: parseCount(cell(record, "定員")),
        postalCode: null,
        prefecture: address.prefecture,
        city: address.city ?? area,
        addressLine: address.addressLine,
        building: building ?? address.building,
        latitude: coordinates?.latitude ?? null,
        longitude: coordinates?.longitude ?? null,
        area,
        operator: presentOrNull(normalizeLine(cell(record, "運営団体名"))),
        phone: bookingPhone,
        email: extractEmail(remark) ?? extractEmail(bookingNote),
        url: extractUrl(cell(record, "URL")),
        hoursNote,
        accessNote: null,
        status: statusFromWords([rawName, frequency, scheduleNote, remark]),
        lastVerifiedOn: source.dataDate,
        sourceNote: `出典：${municipality}「${dataset}」${licence ? `（${licence}）` : ""}`,
      },
    });
  }

  // 東京都福祉局's R4 list repeats places the wards list with more detail: keep the ward's row.
  const wardRows = drafts.filter((draft) => draft.municipality !== METROPOLITAN_OFFICE);
  const kept: ResourceDraft[] = [];
  for (const { municipality, ...draft } of drafts) {
    if (municipality === METROPOLITAN_OFFICE) {
      const same = wardRows.find((ward) => isSameFacility(identity(draft), identity(ward)));
      if (same) {
        skipped.push({ row: draft.row, reason: TOKYO_DUPLICATE_REASON, detail: `${draft.resource.name} = ${same.municipality}「${same.resource.name}」` });
        continue;
      }
    }
    kept.push(draft);
  }
  return { drafts: kept, skipped, rowsRead: table.records.length + table.problems.length };
}

function identity(draft: ResourceDraft) {
  const { name, latitude, longitude, area } = draft.resource;
  return { name, latitude, longitude, area };
}
