// One CSV file into the directory, shared by `scripts/import.ts` and the admin upload page
// (/admin/import): decode and read the file, detect its layout or apply a column mapping, then
// preview (a dry run that rolls back) or commit in ONE transaction. Re-import upserts by (source,
// source row id); rows that vanished from the source get an open correction report, never deleted.
import path from "node:path";
import { and, eq, inArray, like } from "drizzle-orm";
import type { Database, Executor } from "../../db/client.server";
import { correctionReports, resources, schedules, sources, type Resource, type Schedule } from "../../db/schema";
import { enqueueSearchUpdates } from "../../search/outbox.server";
import {
  CHILDCARE_RECOMMENDED_MAPPING,
  CHILDCARE_STANDARD_MAPPING,
  FACILITY_STANDARD_MAPPING,
  kindFromCodeOrLabel,
  mapWithColumns,
  missingColumns,
  type ColumnMapping,
  type Exclusion,
  type MappingSource,
  type Rejection,
} from "./column-mapping";
import { decodeCsvBytes, parseCsvText, type CsvTable, type TextEncodingName } from "./csv";
import { DUPLICATE_ROW_ID_REASON, MAPPERS, planOpenDataImport } from "./open-data.server";
import { importedResourceSchema, validateDraft, type ImportedResource, type ResourceDraft, type ScheduleDraft } from "./resource-draft";
import { OPEN_DATA_SOURCES, findSource, type OpenDataLayout, type OpenDataSource } from "./sources";

/** The `--dry-run --json` output and the page's preview. */
export interface ImportPreview {
  create: number;
  update: number;
  unchanged: number;
  rejected: Rejection[];
}

/**
 * Why a file cannot be imported as given, in Japanese. `usage`: the request is wrong (a mapping
 * naming a missing column, an unknown kind, no source credit); `file`: the bytes are (mojibake,
 * a header no layout knows). `code` lets a caller word a message its own way.
 */
export class ImportInputError extends Error {
  constructor(
    message: string,
    readonly kind: "usage" | "file",
    readonly code: "missing-columns" | "bad-kind" | "no-source" | "mojibake" | "not-text" | "unknown-layout",
    readonly columns: string[] = [],
  ) {
    super(message);
  }
}

export type DetectedLayout = { kind: "builtin"; layout: OpenDataLayout; label: string } | { kind: "mapping"; mapping: ColumnMapping; label: string };

/** The layout a header belongs to, or null. Headers are normalised (NFKC, no spaces) by the reader. */
export function detectLayout(header: readonly string[]): DetectedLayout | null {
  const has = (...names: string[]) => names.every((name) => header.includes(name));
  if (has("介護サービス事業所名称", "実施サービス", "ID")) {
    return { kind: "builtin", layout: "care-service-standard", label: "介護サービス事業所一覧（正式版）" };
  }
  if (has("要配慮者利用施設名称", "地域防災計画分類")) return { kind: "builtin", layout: "yaizu-yohairyosya", label: "要配慮者利用施設（焼津市）" };
  if (has("名称", "実施支援の主な区分")) return { kind: "builtin", layout: "tokyo-kodomo-shokudo", label: "子ども食堂一覧（東京都）" };
  if (has("名称", "種別", "住所", "NO")) return { kind: "mapping", mapping: CHILDCARE_RECOMMENDED_MAPPING, label: "子育て施設一覧（推奨データセット）" };
  if (has("名称", "種別", "所在地_連結表記", "ID")) return { kind: "mapping", mapping: CHILDCARE_STANDARD_MAPPING, label: "子育て施設一覧（正式版）" };
  if (has("名称", "NO", "住所")) return { kind: "builtin", layout: "yaizu-facility", label: "公共施設一覧（推奨データセット）" };
  if (has("名称", "ID", "所在地_連結表記")) return { kind: "mapping", mapping: FACILITY_STANDARD_MAPPING, label: "公共施設一覧（正式版）" };
  return null;
}

/** Decodes (UTF-8 with or without BOM, else CP932) and parses; mojibake is refused, never stored. */
export function readImportTable(bytes: Uint8Array): CsvTable {
  const { text, encoding } = decodeCsvBytes(bytes);
  if (text.includes("\u0000")) {
    throw new ImportInputError("CSV（文字のファイル）ではないようです（NUL 文字を含む）。表計算ソフトから CSV 形式で保存したファイルを選んでください。何も保存していません。", "file", "not-text");
  }
  if (text.includes("\uFFFD")) {
    throw new ImportInputError(
      `文字化けしています（置換文字 U+FFFD を含む）。文字コード（${encoding} と判定）を確かめ、UTF-8 か Shift_JIS（CP932）で保存し直してください。何も保存していません。`,
      "file",
      "mojibake",
    );
  }
  return parseCsvText(text, encoding);
}

/** Reasons that mean a broken row (rejected); every other skip is an out-of-scope row (excluded). */
const BROKEN_ROW = /引用符|列の数|CSV として|見出し行|値が不正|ファイル/;

function splitSkipped(skipped: { row: number; reason: string; detail?: string }[]): { rejected: Rejection[]; excluded: Exclusion[] } {
  const rejected: Rejection[] = [];
  const excluded: Exclusion[] = [];
  for (const skip of skipped) {
    if (BROKEN_ROW.test(skip.reason) || skip.reason === DUPLICATE_ROW_ID_REASON) {
      const fields = /^値が不正（(.+)）$/.exec(skip.reason)?.[1];
      rejected.push({ row: skip.row, column: fields ?? "(行全体)", reason: skip.reason });
    } else {
      excluded.push({ row: skip.row, reason: skip.reason });
    }
  }
  return { rejected, excluded };
}

/** Source credit given with the file (CLI flags, the upload form); each wins over the mapping's. */
export interface SourceOverrides {
  key?: string;
  publisher?: string;
  dataset?: string;
  licence?: string;
  licenceUrl?: string;
  attribution?: string;
  sourceUrl?: string;
}

export interface SourceValues {
  key: string;
  publisher: string;
  dataset: string;
  licence: string;
  licenceUrl: string | null;
  attribution: string;
  sourceUrl: string | null;
  fileName: string;
  dataDate: string | null;
}

const NO_SOURCE_MESSAGE =
  "出典が分かりません。--source-publisher（公開者）と --source-licence（ライセンス）を指定するか、対応表の \"source\": {\"publisher\": …, \"licence\": …} に書いてください。";

function resolveSource(
  fileName: string,
  overrides: SourceOverrides,
  registered: OpenDataSource | undefined,
  mappingSource: MappingSource | undefined,
): SourceValues {
  const key = overrides.key ?? mappingSource?.key ?? registered?.key ?? `file:${fileName.replace(/\.[^.]+$/, "")}`;
  const publisher = overrides.publisher ?? mappingSource?.publisher ?? registered?.publisher;
  const licence = overrides.licence ?? mappingSource?.licence ?? registered?.licence;
  const dataset = overrides.dataset ?? mappingSource?.dataset ?? registered?.dataset ?? fileName;
  if (!publisher || !licence) throw new ImportInputError(NO_SOURCE_MESSAGE, "usage", "no-source");
  return {
    key,
    publisher,
    dataset,
    licence,
    licenceUrl: overrides.licenceUrl ?? mappingSource?.licenceUrl ?? registered?.licenceUrl ?? null,
    attribution: overrides.attribution ?? mappingSource?.attribution ?? registered?.attribution ?? `「${dataset}」（${publisher}）を加工して作成（${licence}）`,
    sourceUrl: overrides.sourceUrl ?? mappingSource?.sourceUrl ?? registered?.sourceUrl ?? null,
    fileName,
    dataDate: registered?.dataDate ?? null,
  };
}

export interface ImportPlan {
  label: string;
  encoding: TextEncodingName;
  rowsRead: number;
  drafts: ResourceDraft[];
  rejected: Rejection[];
  excluded: Exclusion[];
  source: SourceValues;
}

export interface PlanInput {
  bytes: Uint8Array;
  /** The file's name (no directories): the default dataset name and source key. */
  fileName: string;
  /** A column mapping; without one the layout is detected from the header. */
  mapping?: ColumnMapping | null;
  source?: SourceOverrides;
  /** The CLI: the file's absolute path, so a bundled db/open-data file takes the open-data plan. */
  absolutePath?: string;
}

/** Reads and maps the file; stores nothing. Throws ImportInputError for a file it cannot take. */
export async function planImport(input: PlanInput): Promise<ImportPlan> {
  const overrides = input.source ?? {};
  const table = readImportTable(input.bytes);
  const encoding = table.encoding;
  const byKey = overrides.key ? findSource(overrides.key) : undefined;
  const absolute = input.absolutePath;
  const byPath = absolute ? OPEN_DATA_SOURCES.find((source) => absolute.endsWith(`${path.sep}${source.file.split("/").join(path.sep)}`)) : undefined;
  const registered: OpenDataSource | undefined = byKey ?? byPath;
  const mapping = input.mapping ?? null;

  if (mapping) {
    if (typeof mapping.kind !== "string" && !kindFromCodeOrLabel(mapping.kind.value)) {
      throw new ImportInputError(`kind の値「${mapping.kind.value}」は種類のコードでも名称でもありません（例: "salon"、"サロン・通いの場"）。`, "usage", "bad-kind");
    }
    const missing = missingColumns(mapping, table.header);
    if (missing.length > 0) {
      const mojibake = encoding === "cp932" ? "（文字コードの判定が誤っている可能性もあります）" : "";
      throw new ImportInputError(`対応表の列がファイルの見出しにありません: ${missing.join("、")}${mojibake}`, "usage", "missing-columns", missing);
    }
    const source = resolveSource(input.fileName, overrides, registered, mapping.source);
    const mapped = mapWithColumns(table, mapping, source.key);
    return { label: "対応表による取り込み", encoding, ...mapped, source };
  }

  const detected = detectLayout(table.header);
  if (!detected) {
    throw new ImportInputError(
      encoding === "cp932"
        ? "見出し行がどの標準形式とも一致しません。文字コードの判定（CP932）が誤って文字化けしている可能性があります。何も保存していません。形式が違う場合は --mapping で列の対応を指定してください。"
        : "見出し行がどの標準形式とも一致しません。--mapping 対応表.json で列の対応を指定してください。何も保存していません。",
      "file",
      "unknown-layout",
    );
  }
  const source = resolveSource(input.fileName, overrides, registered, undefined);
  if (detected.kind === "mapping") {
    const mapped = mapWithColumns(table, detected.mapping, source.key);
    return { label: detected.label, encoding, ...mapped, source };
  }
  // A bundled file (db/open-data) goes through the open-data plan, so it gets exactly the same
  // de-duplication against richer lists as `npm run import:open-data`.
  if (absolute && registered && byPath === registered && registered.layout === detected.layout) {
    const dir = absolute.slice(0, absolute.length - path.join(registered.file).length - 1);
    const [planned] = await planOpenDataImport({ files: [registered.key], dir });
    return { label: detected.label, encoding, rowsRead: planned.rowsRead, drafts: planned.drafts, ...splitSkipped(planned.skipped), source };
  }
  const synthetic: OpenDataSource = {
    key: source.key,
    file: source.fileName,
    layout: detected.layout,
    publisher: source.publisher,
    dataset: source.dataset,
    licence: source.licence,
    licenceUrl: source.licenceUrl ?? "",
    attribution: source.attribution,
    sourceUrl: source.sourceUrl ?? "",
    commit: "",
    dataDate: source.dataDate,
    municipality: registered?.municipality ?? null,
    supersededBy: [],
  };
  const mapped = MAPPERS[detected.layout](table, synthetic);
  const skipped = [...mapped.skipped];
  const drafts: ResourceDraft[] = [];
  const seen = new Set<string>();
  for (const draft of mapped.drafts) {
    if (seen.has(draft.sourceRowId)) {
      skipped.push({ row: draft.row, reason: DUPLICATE_ROW_ID_REASON });
      continue;
    }
    seen.add(draft.sourceRowId);
    const problem = validateDraft(draft);
    if (problem) skipped.push(problem);
    else drafts.push(draft);
  }
  const split = splitSkipped(skipped);
  split.rejected.sort((a, b) => a.row - b.row);
  return { label: detected.label, encoding, rowsRead: mapped.rowsRead, drafts, ...split, source };
}

// ---------------------------------------------------------------------------------------------
// Writing: one transaction; a dry run does the same work and rolls back.

class DryRunRollback extends Error {}

const RESOURCE_FIELDS = Object.keys(importedResourceSchema.shape) as (keyof ImportedResource)[];

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => item === b[index]);
  }
  return (a ?? null) === (b ?? null);
}

function scheduleKey(schedule: Pick<Schedule, "rrule" | "startTime" | "endTime" | "note" | "exceptionDates">): string {
  return JSON.stringify([schedule.rrule, schedule.startTime ?? null, schedule.endTime ?? null, schedule.note ?? null, schedule.exceptionDates ?? []]);
}

function schedulesChanged(stored: Schedule[], drafts: ScheduleDraft[]): boolean {
  const before = stored.map(scheduleKey).sort();
  const after = drafts.map((draft) => scheduleKey({ ...draft, exceptionDates: [] })).sort();
  return before.length !== after.length || before.some((key, index) => key !== after[index]);
}

export const VANISHED_MESSAGE_PREFIX = "【取り込み】";

export interface WriteOutcome {
  create: number;
  update: number;
  unchanged: number;
  vanished: number;
  /** Spreadsheet row numbers of the drafts that are (or would be) new entries, in file order. */
  createdRows: number[];
}

/**
 * `dry-run`: count and roll back. `all-or-nothing`: nothing is written when any row is rejected.
 * `valid-only`: the valid rows are written and the rejected ones reported.
 */
export type ImportMode = "dry-run" | "all-or-nothing" | "valid-only";

export interface ExecuteOptions {
  mode: ImportMode;
  /** YYYY-MM-DD anchor for new schedules (the source's data date wins). */
  today: string;
  /** Tests: throw inside the transaction after this many rows were written (a simulated crash). */
  failAfterRows?: number;
  progress?: (done: number) => void;
  /** Runs inside the transaction after a real write (an audit row that commits with the import). */
  inTransaction?: (tx: Executor, outcome: WriteOutcome) => Promise<void>;
}

export interface ImportResult extends WriteOutcome {
  /** All-or-nothing with rejected rows: nothing was written. */
  blocked: boolean;
  rejected: Rejection[];
}

/** Whether `mode` refuses to write this plan at all. */
export function importBlocked(plan: ImportPlan, mode: ImportMode): boolean {
  return plan.rejected.length > 0 && mode === "all-or-nothing";
}

/** Previews (mode `dry-run`) or commits the plan. The CLI and /admin/import both call this. */
export async function executeImport(db: Database, plan: ImportPlan, options: ExecuteOptions): Promise<ImportResult> {
  if (importBlocked(plan, options.mode)) {
    return { create: 0, update: 0, unchanged: 0, vanished: 0, createdRows: [], blocked: true, rejected: plan.rejected };
  }
  const outcome = await writePlan(db, plan, {
    startsOn: plan.source.dataDate ?? options.today,
    dryRun: options.mode === "dry-run",
    // A rejected row may be one of the stored ones: it has not vanished, it is broken.
    flagVanished: plan.rejected.length === 0,
    failAfterRows: options.failAfterRows,
    progress: options.progress ?? (() => {}),
    inTransaction: options.inTransaction,
  });
  return { ...outcome, blocked: false, rejected: plan.rejected };
}

async function writePlan(
  db: Database,
  plan: ImportPlan,
  options: {
    startsOn: string;
    dryRun: boolean;
    flagVanished: boolean;
    failAfterRows?: number;
    progress: (done: number) => void;
    inTransaction?: ExecuteOptions["inTransaction"];
  },
): Promise<WriteOutcome> {
  const { source, drafts } = plan;
  let outcome: WriteOutcome = { create: 0, update: 0, unchanged: 0, vanished: 0, createdRows: [] };
  try {
    await db.transaction(async (tx) => {
      const values = {
        publisher: source.publisher,
        dataset: source.dataset,
        licence: source.licence,
        licenceUrl: source.licenceUrl,
        attribution: source.attribution,
        sourceUrl: source.sourceUrl,
        fileName: source.fileName,
      };
      const [storedSource] = await tx.select().from(sources).where(eq(sources.key, source.key));
      let sourceId: number;
      let sourceChanged = false;
      if (storedSource) {
        sourceId = storedSource.id;
        sourceChanged = (Object.keys(values) as (keyof typeof values)[]).some((field) => !sameValue(storedSource[field], values[field]));
        if (sourceChanged) await tx.update(sources).set(values).where(eq(sources.id, sourceId));
      } else {
        const [created] = await tx.insert(sources).values({ key: source.key, ...values, importedAt: new Date() }).returning({ id: sources.id });
        sourceId = created.id;
        sourceChanged = true;
      }

      const stored: Resource[] = await tx.select().from(resources).where(eq(resources.sourceId, sourceId));
      const storedByRowId = new Map(stored.map((resource) => [resource.sourceRowId ?? "", resource]));
      const schedulesByResource = new Map<number, Schedule[]>();
      if (stored.length > 0) {
        const rows = await tx
          .select({ schedule: schedules })
          .from(schedules)
          .innerJoin(resources, eq(schedules.resourceId, resources.id))
          .where(eq(resources.sourceId, sourceId));
        for (const { schedule } of rows) {
          const list = schedulesByResource.get(schedule.resourceId) ?? [];
          list.push(schedule);
          schedulesByResource.set(schedule.resourceId, list);
        }
      }

      const changedIds: number[] = [];
      const counts: WriteOutcome = { create: 0, update: 0, unchanged: 0, vanished: 0, createdRows: [] };
      let done = 0;
      for (const draft of drafts) {
        const existing = storedByRowId.get(draft.sourceRowId);
        if (!existing) {
          const [created] = await tx
            .insert(resources)
            .values({ ...draft.resource, sourceId, sourceRowId: draft.sourceRowId })
            .returning({ id: resources.id });
          if (draft.schedules.length > 0) {
            await tx.insert(schedules).values(draft.schedules.map((schedule) => ({ ...schedule, resourceId: created.id, startsOn: options.startsOn })));
          }
          changedIds.push(created.id);
          counts.create++;
          counts.createdRows.push(draft.row);
        } else {
          const fieldsChanged = RESOURCE_FIELDS.some((field) => !sameValue(existing[field], draft.resource[field]));
          const timesChanged = schedulesChanged(schedulesByResource.get(existing.id) ?? [], draft.schedules);
          if (!fieldsChanged && !timesChanged) {
            counts.unchanged++;
          } else {
            await tx.update(resources).set({ ...draft.resource, updatedAt: new Date() }).where(eq(resources.id, existing.id));
            if (timesChanged) {
              await tx.delete(schedules).where(eq(schedules.resourceId, existing.id));
              if (draft.schedules.length > 0) {
                await tx.insert(schedules).values(draft.schedules.map((schedule) => ({ ...schedule, resourceId: existing.id, startsOn: options.startsOn })));
              }
            }
            changedIds.push(existing.id);
            counts.update++;
          }
        }
        done++;
        options.progress(done);
        if (options.failAfterRows !== undefined && done >= options.failAfterRows) {
          throw new Error(`取り込み中の障害（テスト用に ${done} 行目の後で発生させたもの）`);
        }
      }

      // Rows that vanished from the source: an open report in the coordinators' queue, once.
      if (options.flagVanished) {
        const present = new Set(drafts.map((draft) => draft.sourceRowId));
        const vanished = stored.filter((resource) => !present.has(resource.sourceRowId ?? "") && resource.status !== "closed");
        if (vanished.length > 0) {
          const open = await tx
            .select({ resourceId: correctionReports.resourceId })
            .from(correctionReports)
            .where(
              and(
                inArray(correctionReports.resourceId, vanished.map((resource) => resource.id)),
                eq(correctionReports.status, "open"),
                like(correctionReports.message, `${VANISHED_MESSAGE_PREFIX}%`),
              ),
            );
          const flagged = new Set(open.map((row) => row.resourceId));
          const toFlag = vanished.filter((resource) => !flagged.has(resource.id));
          if (toFlag.length > 0) {
            await tx.insert(correctionReports).values(
              toFlag.map((resource) => ({
                resourceId: resource.id,
                message: `${VANISHED_MESSAGE_PREFIX}出典「${source.dataset}」（${source.publisher}）の最新のファイルにこの行（${resource.sourceRowId}）がありません。閉鎖・休止・名称変更などを確認してください。`,
              })),
            );
          }
          counts.vanished = vanished.length;
        }
      }

      await enqueueSearchUpdates(tx, changedIds, "upsert");
      if (changedIds.length > 0 || sourceChanged) await tx.update(sources).set({ importedAt: new Date() }).where(eq(sources.id, sourceId));
      outcome = counts;
      if (options.dryRun) throw new DryRunRollback();
      if (options.inTransaction) await options.inTransaction(tx, counts);
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  return outcome;
}

export function todayInTokyo(): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Tokyo" }).format(new Date());
}
