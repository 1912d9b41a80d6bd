// `npx tsx scripts/import.ts FILE [--mapping M.json] [--dry-run] [--json] [--source-key KEY]
// [--valid-only] [--source-publisher …]`: one CSV file into the directory. The layout is detected
// from the header (推奨データセット / 正式版 standard lists, the bundled Yaizu and Tokyo files) or
// given by a column mapping. Everything is written in ONE transaction: with rejected rows nothing
// is stored (exit 1) unless --valid-only. Re-import upserts by (source, source row id); rows that
// vanished from the source get an open correction report (the coordinators' queue), never deleted.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { and, eq, inArray, like } from "drizzle-orm";
import type { Database, DatabaseHandle } from "../../db/client.server";
import { correctionReports, resources, schedules, sources, type Resource, type Schedule } from "../../db/schema";
import { enqueueSearchUpdates } from "../../search/outbox.server";
import {
  CHILDCARE_RECOMMENDED_MAPPING,
  CHILDCARE_STANDARD_MAPPING,
  FACILITY_STANDARD_MAPPING,
  columnMappingSchema,
  kindFromCodeOrLabel,
  mapWithColumns,
  missingColumns,
  type ColumnMapping,
  type Exclusion,
  type MappingSource,
  type Rejection,
} from "./column-mapping";
import { decodeCsvBytes, parseCsvText, type CsvTable } from "./csv";
import { DUPLICATE_ROW_ID_REASON, MAPPERS, planOpenDataImport } from "./open-data.server";
import { importedResourceSchema, validateDraft, type ImportedResource, type ResourceDraft, type ScheduleDraft } from "./resource-draft";
import { OPEN_DATA_SOURCES, findSource, type OpenDataLayout, type OpenDataSource } from "./sources";

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (the progress bar is drawn only then). */
  isTTY: boolean;
}

export interface CliDeps {
  /** An open database; when omitted the CLI opens DATABASE_URL / PGlite and migrates it. */
  handle?: DatabaseHandle;
  io?: CliIo;
  /** Tests: throw inside the transaction after this many rows were written (a simulated crash). */
  failAfterRows?: number;
  /** YYYY-MM-DD anchor for schedules; defaults to today in Tokyo. */
  today?: string;
}

export interface ImportPreview {
  create: number;
  update: number;
  unchanged: number;
  rejected: Rejection[];
}

class UsageError extends Error {}
class DryRunRollback extends Error {}

const VALUE_FLAGS = [
  "--mapping",
  "--source-key",
  "--source-publisher",
  "--source-dataset",
  "--source-licence",
  "--source-licence-url",
  "--source-attribution",
  "--source-url",
] as const;
const BOOLEAN_FLAGS = ["--dry-run", "--json", "--valid-only"] as const;

interface CliArgs {
  file: string;
  values: Partial<Record<(typeof VALUE_FLAGS)[number], string>>;
  dryRun: boolean;
  json: boolean;
  validOnly: boolean;
}

export const USAGE =
  "使い方: npx tsx scripts/import.ts ファイル.csv [--mapping 対応表.json] [--dry-run] [--json] [--valid-only] [--source-key キー] [--source-publisher 公開者] [--source-dataset データセット名] [--source-licence ライセンス] [--source-licence-url URL] [--source-attribution 出典表記] [--source-url URL]";

export function parseCliArgs(argv: readonly string[]): CliArgs {
  const values: CliArgs["values"] = {};
  const flags = new Set<string>();
  const files: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if ((VALUE_FLAGS as readonly string[]).includes(flag)) {
      const value = inline ?? argv[++index];
      if (value === undefined || value === "" || (inline === undefined && value.startsWith("--"))) {
        throw new UsageError(`${flag} には値が必要です。`);
      }
      values[flag as (typeof VALUE_FLAGS)[number]] = value;
    } else if ((BOOLEAN_FLAGS as readonly string[]).includes(flag) && inline === undefined) {
      flags.add(flag);
    } else if (arg.startsWith("-")) {
      throw new UsageError(`不明なオプションです: ${arg}`);
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) throw new UsageError("取り込むファイルを指定してください。");
  if (files.length > 1) throw new UsageError(`ファイルは一度に一つだけ指定できます（${files.join("、")}）。`);
  return { file: files[0], values, dryRun: flags.has("--dry-run"), json: flags.has("--json"), validOnly: flags.has("--valid-only") };
}

async function readMapping(file: string): Promise<ColumnMapping> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new UsageError(`対応表（マッピング）ファイルを読めません: ${file}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`対応表（マッピング）ファイルが JSON として読めません: ${file}`);
  }
  const result = columnMappingSchema.safeParse(json);
  if (result.success) return result.data;
  const messages = result.error.issues.map((issue) => {
    const where = issue.path.join(".") || "（全体）";
    if (issue.code === "unrecognized_keys") return `不明な項目があります: ${issue.keys.join("、")}（${where === "（全体）" ? "最上位" : where}）`;
    if (issue.path.length === 1 && issue.path[0] === "name") return "name（名称の列）は必須です";
    if (issue.path[0] === "kind") return "kind は列名か {\"value\": \"種類コードまたは名称\"} で指定してください";
    return `項目 ${where} の値が不正です（列名を文字列で指定してください）`;
  });
  throw new UsageError(`対応表（マッピング）ファイルに誤りがあります: ${file}\n  ${messages.join("\n  ")}`);
}

type Detected = { kind: "builtin"; layout: OpenDataLayout; label: string } | { kind: "mapping"; mapping: ColumnMapping; label: string };

/** The layout a header belongs to, or null. Headers are normalised (NFKC, no spaces) by the reader. */
export function detectLayout(header: readonly string[]): Detected | null {
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

interface SourceValues {
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

function resolveSource(args: CliArgs, registered: OpenDataSource | undefined, mappingSource: MappingSource | undefined): SourceValues {
  const flag = args.values;
  const key = flag["--source-key"] ?? mappingSource?.key ?? registered?.key ?? `file:${path.basename(args.file).replace(/\.[^.]+$/, "")}`;
  const publisher = flag["--source-publisher"] ?? mappingSource?.publisher ?? registered?.publisher;
  const licence = flag["--source-licence"] ?? mappingSource?.licence ?? registered?.licence;
  const dataset = flag["--source-dataset"] ?? mappingSource?.dataset ?? registered?.dataset ?? path.basename(args.file);
  if (!publisher || !licence) {
    throw new UsageError(
      "出典が分かりません。--source-publisher（公開者）と --source-licence（ライセンス）を指定するか、対応表の \"source\": {\"publisher\": …, \"licence\": …} に書いてください。",
    );
  }
  return {
    key,
    publisher,
    dataset,
    licence,
    licenceUrl: flag["--source-licence-url"] ?? mappingSource?.licenceUrl ?? registered?.licenceUrl ?? null,
    attribution:
      flag["--source-attribution"] ?? mappingSource?.attribution ?? registered?.attribution ?? `「${dataset}」（${publisher}）を加工して作成（${licence}）`,
    sourceUrl: flag["--source-url"] ?? mappingSource?.sourceUrl ?? registered?.sourceUrl ?? null,
    fileName: path.basename(args.file),
    dataDate: registered?.dataDate ?? null,
  };
}

interface Plan {
  label: string;
  encoding: string;
  rowsRead: number;
  drafts: ResourceDraft[];
  rejected: Rejection[];
  excluded: Exclusion[];
  source: SourceValues;
}

/** A problem with the file itself (encoding, no recognisable header): reported, nothing stored. */
class FileError extends Error {}

async function planFile(args: CliArgs): Promise<Plan> {
  const mapping = args.values["--mapping"] ? await readMapping(args.values["--mapping"]) : null;
  let bytes: Buffer;
  try {
    bytes = await readFile(args.file);
  } catch {
    throw new UsageError(`ファイルを読めません: ${args.file}`);
  }
  const { text, encoding } = decodeCsvBytes(bytes);
  if (text.includes("\uFFFD")) {
    throw new FileError(
      `文字化けしています（置換文字 U+FFFD を含む）。文字コード（${encoding} と判定）を確かめ、UTF-8 か Shift_JIS（CP932）で保存し直してください。何も保存していません。`,
    );
  }
  const table: CsvTable = parseCsvText(text, encoding);
  const byKey = args.values["--source-key"] ? findSource(args.values["--source-key"]) : undefined;
  const absolute = path.resolve(args.file);
  const byPath = OPEN_DATA_SOURCES.find((source) => absolute.endsWith(`${path.sep}${source.file.split("/").join(path.sep)}`));
  const registered: OpenDataSource | undefined = byKey ?? byPath;

  if (mapping) {
    if (typeof mapping.kind !== "string" && !kindFromCodeOrLabel(mapping.kind.value)) {
      throw new UsageError(`kind の値「${mapping.kind.value}」は種類のコードでも名称でもありません（例: "salon"、"サロン・通いの場"）。`);
    }
    const missing = missingColumns(mapping, table.header);
    if (missing.length > 0) {
      const mojibake = encoding === "cp932" ? "（文字コードの判定が誤っている可能性もあります）" : "";
      throw new UsageError(`対応表の列がファイルの見出しにありません: ${missing.join("、")}${mojibake}`);
    }
    const source = resolveSource(args, registered, mapping.source);
    const mapped = mapWithColumns(table, mapping, source.key);
    return { label: "対応表による取り込み", encoding, ...mapped, source };
  }

  const detected = detectLayout(table.header);
  if (!detected) {
    throw new FileError(
      encoding === "cp932"
        ? "見出し行がどの標準形式とも一致しません。文字コードの判定（CP932）が誤って文字化けしている可能性があります。何も保存していません。形式が違う場合は --mapping で列の対応を指定してください。"
        : "見出し行がどの標準形式とも一致しません。--mapping 対応表.json で列の対応を指定してください。何も保存していません。",
    );
  }
  const source = resolveSource(args, registered, undefined);
  if (detected.kind === "mapping") {
    const mapped = mapWithColumns(table, detected.mapping, source.key);
    return { label: detected.label, encoding, ...mapped, source };
  }
  // A bundled file (db/open-data) goes through the open-data plan, so it gets exactly the same
  // de-duplication against richer lists as `npm run import:open-data`.
  if (registered && byPath === registered && registered.layout === detected.layout) {
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

interface WriteOutcome {
  create: number;
  update: number;
  unchanged: number;
  vanished: number;
}

async function writePlan(
  db: Database,
  plan: Plan,
  options: { startsOn: string; dryRun: boolean; flagVanished: boolean; failAfterRows?: number; progress: (done: number) => void },
): Promise<WriteOutcome> {
  const { source, drafts } = plan;
  let outcome: WriteOutcome = { create: 0, update: 0, unchanged: 0, vanished: 0 };
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
      const counts: WriteOutcome = { create: 0, update: 0, unchanged: 0, vanished: 0 };
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
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  return outcome;
}

function todayInTokyo(): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Tokyo" }).format(new Date());
}

function progressBar(io: CliIo, total: number): { update(done: number): void; end(): void } {
  if (!io.isTTY || total === 0) return { update: () => {}, end: () => {} };
  let last = -1;
  return {
    update(done) {
      const percent = Math.floor((done / total) * 100);
      if (percent === last && done !== total) return;
      last = percent;
      const width = 30;
      const filled = Math.round((done / total) * width);
      io.stderr(`\r取り込み中 [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} (${percent}%)`);
    },
    end() {
      io.stderr("\n");
    },
  };
}

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  // PORTAL_IMPORT_PROGRESS=1 draws the bar into a pipe too (a supervising process, the kill test).
  isTTY: Boolean(process.stderr.isTTY) || process.env.PORTAL_IMPORT_PROGRESS === "1",
};

function formatRejections(rejected: readonly Rejection[], limit = 50): string[] {
  const lines = rejected.slice(0, limit).map((item) => `  ${item.row} 行目 [${item.column}] ${item.reason}`);
  if (rejected.length > limit) lines.push(`  … ほか ${rejected.length - limit} 件`);
  return lines;
}

/**
 * The CLI. Returns the exit code: 0 done, 1 rejected rows (nothing stored) or an unreadable file,
 * 2 bad arguments or mapping.
 */
export async function runImportCli(argv: readonly string[], deps: CliDeps = {}): Promise<number> {
  const io = deps.io ?? defaultIo;
  let args: CliArgs;
  let plan: Plan;
  try {
    args = parseCliArgs(argv);
    plan = await planFile(args);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`エラー: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof FileError) {
      io.stderr(`エラー: ${error.message}\n`);
      return 1;
    }
    throw error;
  }

  const blocked = plan.rejected.length > 0 && !args.validOnly && !args.dryRun;
  let outcome: WriteOutcome = { create: 0, update: 0, unchanged: 0, vanished: 0 };
  if (!blocked) {
    const handle = deps.handle ?? (await openMigrated());
    try {
      const bar = progressBar(io, plan.drafts.length);
      outcome = await writePlan(handle.db, plan, {
        startsOn: plan.source.dataDate ?? deps.today ?? todayInTokyo(),
        dryRun: args.dryRun,
        // A rejected row may be one of the stored ones: it has not vanished, it is broken.
        flagVanished: plan.rejected.length === 0,
        failAfterRows: deps.failAfterRows,
        progress: bar.update,
      });
      bar.end();
    } finally {
      if (!deps.handle) await handle.close();
    }
  }

  const preview: ImportPreview = { create: outcome.create, update: outcome.update, unchanged: outcome.unchanged, rejected: plan.rejected };
  if (args.json) {
    io.stdout(`${JSON.stringify(preview)}\n`);
  } else {
    const lines = [
      `${args.file}（${plan.label}、${plan.encoding}、出典: ${plan.source.dataset} / ${plan.source.publisher} / ${plan.source.licence}）`,
      `読み込み ${plan.rowsRead} 行 / 新規 ${outcome.create} / 更新 ${outcome.update} / 変更なし ${outcome.unchanged} / 不正 ${plan.rejected.length} / 対象外 ${plan.excluded.length}`,
    ];
    if (outcome.vanished > 0) lines.push(`ファイルから消えた ${outcome.vanished} 件を確認待ちにしました（削除はしていません）。`);
    if (plan.rejected.length > 0) lines.push("不正な行:", ...formatRejections(plan.rejected));
    if (args.dryRun) lines.push("（試行のため何も保存していません）");
    else if (blocked) lines.push("不正な行があるため何も保存していません。正しい行だけを取り込むには --valid-only を付けてください。");
    io.stdout(`${lines.join("\n")}\n`);
  }
  return blocked ? 1 : 0;
}

async function openMigrated(): Promise<DatabaseHandle> {
  const { openDatabase } = await import("../../db/client.server");
  const { migrateDatabase } = await import("../../db/migrate.server");
  const handle = await openDatabase();
  await migrateDatabase(handle);
  return handle;
}
