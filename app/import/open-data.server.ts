// Imports the open-data files in db/open-data/ into the directory. Each file is one transaction:
// its source row is upserted, its resources are upserted by (source, source row id), their
// schedules replaced, and the search outbox written for exactly the resources that changed, so a
// second run changes nothing. Bad rows are reported in the summary, never thrown.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { Database, DatabaseHandle } from "../../db/client.server";
import { resources, schedules, sources, type Resource, type Schedule } from "../../db/schema";
import { enqueueSearchUpdates } from "../../search/outbox.server";
import { readCsv, type SkippedRow, type TextEncodingName } from "./csv";
import { mapCareServiceList } from "./map-care-service";
import { mapTokyoKodomoShokudo } from "./map-tokyo";
import { mapFacilityList, mapYohairyosya } from "./map-yaizu";
import {
  importedResourceSchema,
  validateDraft,
  type ImportedResource,
  type MappedFile,
  type ResourceDraft,
  type ScheduleDraft,
} from "./resource-draft";
import { isSameFacility } from "./same-facility";
import { OPEN_DATA_SOURCES, findSource, type OpenDataLayout, type OpenDataSource } from "./sources";

export interface ImportFileSummary {
  file: string;
  sourceKey: string;
  encoding: TextEncodingName | null;
  /** Data rows in the file (records, including the ones that could not be parsed). */
  rowsRead: number;
  /** Resources created by this run. */
  imported: number;
  /** The same number as `imported` (the name the start script logs). */
  created: number;
  /** Resources whose fields or schedules changed. */
  updated: number;
  /** Resources already stored exactly as the file says. */
  unchanged: number;
  skipped: SkippedRow[];
  /** Resources of this file by kind (created, updated and unchanged together). */
  byKind: Record<string, number>;
}

export interface ImportOptions {
  /** Source keys or file paths under `dir` (e.g. `yaizu/yohairyosya.csv`); all known files when omitted. */
  files?: string[];
  /** Folder holding the files; defaults to db/open-data under the working directory. */
  dir?: string;
  log?: (line: string) => void;
  /** YYYY-MM-DD; anchors schedules of sources whose data date is unknown. Defaults to today in Tokyo. */
  today?: string;
}

export const DUPLICATE_REASON = "重複（より詳しい別の一覧に同じ施設がある）";
export const DUPLICATE_ROW_ID_REASON = "行を識別する番号（NO/ID）が前の行と重複";

export const MAPPERS: Record<OpenDataLayout, (table: ReturnType<typeof readCsv>, source: OpenDataSource) => MappedFile> = {
  "yaizu-facility": mapFacilityList,
  "yaizu-yohairyosya": mapYohairyosya,
  "care-service-standard": mapCareServiceList,
  "tokyo-kodomo-shokudo": mapTokyoKodomoShokudo,
};

export function defaultOpenDataDir(): string {
  return path.resolve(process.cwd(), "db", "open-data");
}

function todayInTokyo(): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Tokyo" }).format(new Date());
}

interface LoadedFile {
  encoding: TextEncodingName | null;
  mapped: MappedFile;
}

/** Reads and maps one file; a missing or unreadable file becomes a file-level skip (row 0). */
async function loadFile(source: OpenDataSource, dir: string): Promise<LoadedFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path.join(dir, source.file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "ファイルが見つからない" : `ファイルを読めない（${code ?? "不明なエラー"}）`;
    return { encoding: null, mapped: { drafts: [], skipped: [{ row: 0, reason, detail: source.file }], rowsRead: 0 } };
  }
  const table = readCsv(bytes);
  return { encoding: table.encoding, mapped: MAPPERS[source.layout](table, source) };
}

/** One file read, mapped, de-duplicated and validated: what an import would write. */
export interface PlannedFile {
  /** The registered source, or null for a requested name that is not registered. */
  source: OpenDataSource | null;
  file: string;
  encoding: TextEncodingName | null;
  rowsRead: number;
  drafts: ResourceDraft[];
  skipped: SkippedRow[];
}

/**
 * Reads and maps the requested files without touching the database (tests and dry runs use it;
 * importOpenData writes what it returns).
 */
export async function planOpenDataImport(options: Pick<ImportOptions, "files" | "dir"> = {}): Promise<PlannedFile[]> {
  const dir = options.dir ?? defaultOpenDataDir();
  const plans: PlannedFile[] = [];
  const selected: OpenDataSource[] = [];
  for (const wanted of options.files ?? OPEN_DATA_SOURCES.map((source) => source.key)) {
    const source = findSource(wanted);
    if (!source) {
      plans.push({
        source: null,
        file: wanted,
        encoding: null,
        rowsRead: 0,
        drafts: [],
        skipped: [{ row: 0, reason: "取り込み対象として登録されていないファイル", detail: wanted }],
      });
    } else if (!selected.includes(source)) {
      selected.push(source);
    }
  }

  const loaded = new Map<string, Promise<LoadedFile>>();
  const load = (source: OpenDataSource) => {
    if (!loaded.has(source.key)) loaded.set(source.key, loadFile(source, dir));
    return loaded.get(source.key)!;
  };
  for (const source of selected) {
    const { encoding, mapped } = await load(source);
    const skipped = [...mapped.skipped];
    const drafts: ResourceDraft[] = [];
    for (const draft of await dropDuplicates(source, mapped.drafts, skipped, load)) {
      const problem = validateDraft(draft);
      if (problem) skipped.push(problem);
      else drafts.push(draft);
    }
    skipped.sort((a, b) => a.row - b.row);
    plans.push({ source, file: source.file, encoding, rowsRead: mapped.rowsRead, drafts, skipped });
  }
  return plans;
}

export async function importOpenData(handle: DatabaseHandle, options: ImportOptions = {}): Promise<ImportFileSummary[]> {
  const log = options.log ?? (() => {});
  const today = options.today ?? todayInTokyo();
  const summaries: ImportFileSummary[] = [];

  for (const plan of await planOpenDataImport(options)) {
    const { source } = plan;
    // A missing or unregistered file has nothing to write: its source row is left as it was.
    const outcome =
      source && (plan.rowsRead > 0 || plan.drafts.length > 0)
        ? await writeSource(handle.db, source, plan.drafts, source.dataDate ?? today)
        : { created: 0, updated: 0, unchanged: 0 };
    const byKind: Record<string, number> = {};
    for (const draft of plan.drafts) byKind[draft.resource.kind] = (byKind[draft.resource.kind] ?? 0) + 1;

    const summary: ImportFileSummary = {
      file: plan.file,
      sourceKey: source?.key ?? "",
      encoding: plan.encoding,
      rowsRead: plan.rowsRead,
      imported: outcome.created,
      created: outcome.created,
      updated: outcome.updated,
      unchanged: outcome.unchanged,
      skipped: plan.skipped,
      byKind,
    };
    summaries.push(summary);
    log(
      `${summary.file}: ${summary.rowsRead} 行を読み込み、新規 ${summary.imported}・更新 ${summary.updated}・変更なし ${summary.unchanged}・対象外 ${summary.skipped.length}`,
    );
  }
  return summaries;
}

/**
 * Drops drafts that repeat a row id of this file, or that describe a facility a richer source
 * (`supersededBy`) already lists.
 */
async function dropDuplicates(
  source: OpenDataSource,
  drafts: ResourceDraft[],
  skipped: SkippedRow[],
  load: (source: OpenDataSource) => Promise<LoadedFile>,
): Promise<ResourceDraft[]> {
  const richer: { dataset: string; draft: ResourceDraft }[] = [];
  for (const key of source.supersededBy) {
    const other = findSource(key);
    if (!other) continue;
    const { mapped } = await load(other);
    for (const draft of mapped.drafts) richer.push({ dataset: other.dataset, draft });
  }
  const cityPrefix = source.municipality ? [source.municipality.city] : [];
  const seenRowIds = new Set<string>();
  const kept: ResourceDraft[] = [];
  for (const draft of drafts) {
    if (seenRowIds.has(draft.sourceRowId)) {
      skipped.push({ row: draft.row, reason: DUPLICATE_ROW_ID_REASON, detail: `${draft.sourceRowId} ${draft.resource.name}` });
      continue;
    }
    seenRowIds.add(draft.sourceRowId);
    const same = richer.find(({ draft: other }) => isSameFacility(draft.resource, other.resource, cityPrefix));
    if (same) {
      skipped.push({ row: draft.row, reason: DUPLICATE_REASON, detail: `『${same.dataset}』の「${same.draft.resource.name}」` });
      continue;
    }
    kept.push(draft);
  }
  return kept;
}

const RESOURCE_FIELDS = Object.keys(importedResourceSchema.shape) as (keyof ImportedResource)[];

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => item === b[index]);
  }
  return (a ?? null) === (b ?? null);
}

/** Field by field: only a real difference counts as a change (and bumps updated_at). */
function resourceChanged(stored: Resource, draft: ImportedResource): boolean {
  return RESOURCE_FIELDS.some((field) => !sameValue(stored[field], draft[field]));
}

function scheduleKey(schedule: Pick<Schedule, "rrule" | "startTime" | "endTime" | "note" | "exceptionDates">): string {
  return JSON.stringify([schedule.rrule, schedule.startTime ?? null, schedule.endTime ?? null, schedule.note ?? null, schedule.exceptionDates ?? []]);
}

/** startsOn is left out: it only anchors the rule, and an unknown data date falls back to "today". */
function schedulesChanged(stored: Schedule[], drafts: ScheduleDraft[]): boolean {
  const before = stored.map(scheduleKey).sort();
  const after = drafts.map((draft) => scheduleKey({ ...draft, exceptionDates: [] })).sort();
  return before.length !== after.length || before.some((key, index) => key !== after[index]);
}

type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

async function upsertSource(tx: Transaction, source: OpenDataSource): Promise<{ id: number; changed: boolean }> {
  const values = {
    publisher: source.publisher,
    dataset: source.dataset,
    licence: source.licence,
    licenceUrl: source.licenceUrl,
    attribution: source.attribution,
    sourceUrl: source.sourceUrl,
    fileName: source.file,
  };
  const [stored] = await tx.select().from(sources).where(eq(sources.key, source.key));
  if (!stored) {
    const [created] = await tx
      .insert(sources)
      .values({ key: source.key, ...values, importedAt: new Date() })
      .returning({ id: sources.id });
    return { id: created.id, changed: true };
  }
  const changed = (Object.keys(values) as (keyof typeof values)[]).some((field) => !sameValue(stored[field], values[field]));
  if (changed) await tx.update(sources).set(values).where(eq(sources.id, stored.id));
  return { id: stored.id, changed };
}

const INSERT_BATCH = 200;

async function writeSource(
  db: Database,
  source: OpenDataSource,
  drafts: ResourceDraft[],
  startsOn: string,
): Promise<{ created: number; updated: number; unchanged: number }> {
  return db.transaction(async (tx) => {
    const { id: sourceId, changed: sourceChanged } = await upsertSource(tx, source);
    const storedResources = await tx.select().from(resources).where(eq(resources.sourceId, sourceId));
    const storedByRowId = new Map(storedResources.map((resource) => [resource.sourceRowId ?? "", resource]));
    const storedSchedules = await tx
      .select({ schedule: schedules })
      .from(schedules)
      .innerJoin(resources, eq(schedules.resourceId, resources.id))
      .where(eq(resources.sourceId, sourceId));
    const schedulesByResource = new Map<number, Schedule[]>();
    for (const { schedule } of storedSchedules) {
      const list = schedulesByResource.get(schedule.resourceId) ?? [];
      list.push(schedule);
      schedulesByResource.set(schedule.resourceId, list);
    }

    const toCreate = drafts.filter((draft) => !storedByRowId.has(draft.sourceRowId));
    const changedIds: number[] = [];
    let updated = 0;
    let unchanged = 0;

    for (let start = 0; start < toCreate.length; start += INSERT_BATCH) {
      const batch = toCreate.slice(start, start + INSERT_BATCH);
      const created = await tx
        .insert(resources)
        .values(batch.map((draft) => ({ ...draft.resource, sourceId, sourceRowId: draft.sourceRowId })))
        .returning({ id: resources.id, sourceRowId: resources.sourceRowId });
      const idByRowId = new Map(created.map((row) => [row.sourceRowId ?? "", row.id]));
      const newSchedules = batch.flatMap((draft) =>
        draft.schedules.map((schedule) => ({ ...schedule, resourceId: idByRowId.get(draft.sourceRowId)!, startsOn })),
      );
      if (newSchedules.length > 0) await tx.insert(schedules).values(newSchedules);
      changedIds.push(...created.map((row) => row.id));
    }

    for (const draft of drafts) {
      const stored = storedByRowId.get(draft.sourceRowId);
      if (!stored) continue;
      const fieldsChanged = resourceChanged(stored, draft.resource);
      const timesChanged = schedulesChanged(schedulesByResource.get(stored.id) ?? [], draft.schedules);
      if (!fieldsChanged && !timesChanged) {
        unchanged++;
        continue;
      }
      await tx
        .update(resources)
        .set({ ...draft.resource, updatedAt: new Date() })
        .where(eq(resources.id, stored.id));
      if (timesChanged) {
        await tx.delete(schedules).where(eq(schedules.resourceId, stored.id));
        if (draft.schedules.length > 0) {
          await tx.insert(schedules).values(draft.schedules.map((schedule) => ({ ...schedule, resourceId: stored.id, startsOn })));
        }
      }
      updated++;
      changedIds.push(stored.id);
    }

    await enqueueSearchUpdates(tx, changedIds, "upsert");
    // importedAt records the last import that changed something, so a no-op run leaves it alone.
    if (changedIds.length > 0 || sourceChanged) {
      await tx.update(sources).set({ importedAt: new Date() }).where(eq(sources.id, sourceId));
    }
    return { created: toCreate.length, updated, unchanged };
  });
}
