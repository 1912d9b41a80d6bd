// The admin upload page's server side (/admin/import): the uploaded file kept between steps in a
// temp file named by a random 128-bit token (bound to the uploader, expiring after an hour, deleted
// after the commit), the mapping form, the saved named mappings (import_mappings), and preview /
// commit through the same import-file.server.ts the CLI uses.
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { desc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.server";
import { importMappings, sources } from "../../db/schema";
import { kindLabel } from "../../db/vocabulary";
import { columnMappingSchema, kindFromCodeOrLabel, missingColumns, type ColumnMapping, type MappingSource, type Rejection } from "~/import/column-mapping";
import type { CsvTable } from "~/import/csv";
import {
  detectLayout,
  executeImport,
  ImportInputError,
  planImport,
  readImportTable,
  todayInTokyo,
  type ImportMode,
  type ImportPlan,
  type ImportResult,
  type SourceOverrides,
} from "~/import/import-file.server";
import { MAPPING_FIELDS, columnInputName, type MappingField } from "~/import/mapping-fields";
import { normalizeHeader } from "~/import/normalize";
import { recordAudit } from "~/utils/audit.server";
import type { Role } from "~/utils/permissions";

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
export const UPLOAD_TTL_MS = 60 * 60 * 1000;
/**
 * Where uploads wait between steps: PORTAL_IMPORT_UPLOAD_DIR, else a folder in the system temp
 * directory. Several app instances need it on a shared disk (or sticky sessions).
 */
export function uploadDir(): string {
  return process.env.PORTAL_IMPORT_UPLOAD_DIR || path.join(os.tmpdir(), "portal-import-uploads");
}
const TOKEN_PATTERN = /^[0-9a-f]{32}$/;

/** What the server remembers about an upload; the page only ever sends back the token. */
export interface UploadMeta {
  userId: number;
  fileName: string;
  createdAt: string;
  source: SourceOverrides;
  /** The mapping chosen so far (null: the layout was detected from the header). */
  mapping: ColumnMapping | null;
  /** The saved mapping it came from, for the page. */
  mappingName: string | null;
}

export interface Upload {
  token: string;
  bytes: Buffer;
  meta: UploadMeta;
}

/** A problem the page shows at the step where it happened, with a 4xx status. */
export class UploadProblem extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
    super(message);
  }
}

const filesOf = (token: string) => ({ data: path.join(uploadDir(), `${token}.csv`), meta: path.join(uploadDir(), `${token}.json`) });

/** Removes uploads older than the time limit (called on every new upload). */
export async function sweepExpiredUploads(now = Date.now()): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(uploadDir());
  } catch {
    return;
  }
  await Promise.all(
    names.map(async (name) => {
      const file = path.join(uploadDir(), name);
      const stat = await fs.stat(file).catch(() => null);
      if (stat && now - stat.mtimeMs > UPLOAD_TTL_MS) await fs.rm(file, { force: true });
    }),
  );
}

export async function saveUpload(input: { bytes: Uint8Array; fileName: string; userId: number; source: SourceOverrides }): Promise<Upload> {
  await fs.mkdir(uploadDir(), { recursive: true, mode: 0o700 });
  await sweepExpiredUploads();
  const token = crypto.randomBytes(16).toString("hex");
  const meta: UploadMeta = { userId: input.userId, fileName: input.fileName, createdAt: new Date().toISOString(), source: input.source, mapping: null, mappingName: null };
  const files = filesOf(token);
  await fs.writeFile(files.data, input.bytes, { mode: 0o600 });
  await fs.writeFile(files.meta, JSON.stringify(meta), { mode: 0o600 });
  return { token, bytes: Buffer.from(input.bytes), meta };
}

const EXPIRED = "アップロードしたファイルの保存期限（1時間）が過ぎたか、ファイルが見つかりません。もう一度アップロードしてください。";

/** The upload behind a token, for the user who made it; a 410 problem when gone or expired. */
export async function loadUpload(token: unknown, userId: number, now = Date.now()): Promise<Upload> {
  if (typeof token !== "string" || !TOKEN_PATTERN.test(token)) throw new UploadProblem(EXPIRED, 410);
  const files = filesOf(token);
  let meta: UploadMeta;
  let bytes: Buffer;
  try {
    meta = JSON.parse(await fs.readFile(files.meta, "utf8")) as UploadMeta;
    bytes = await fs.readFile(files.data);
  } catch {
    throw new UploadProblem(EXPIRED, 410);
  }
  if (meta.userId !== userId) throw new UploadProblem(EXPIRED, 410);
  if (now - Date.parse(meta.createdAt) > UPLOAD_TTL_MS) {
    await deleteUpload(token);
    throw new UploadProblem(EXPIRED, 410);
  }
  return { token, bytes, meta };
}

export async function updateUpload(upload: Upload, patch: Partial<UploadMeta>): Promise<Upload> {
  const meta = { ...upload.meta, ...patch };
  await fs.writeFile(filesOf(upload.token).meta, JSON.stringify(meta), { mode: 0o600 });
  return { ...upload, meta };
}

export async function deleteUpload(token: string): Promise<void> {
  if (!TOKEN_PATTERN.test(token)) return;
  const files = filesOf(token);
  await Promise.all([fs.rm(files.data, { force: true }), fs.rm(files.meta, { force: true })]);
}

// ---------------------------------------------------------------------------------------------
// The file itself.

const CSV_NAME = /\.(csv|txt|tsv)$/i;
const CSV_TYPES = new Set(["", "text/csv", "text/plain", "application/csv", "application/vnd.ms-excel", "application/octet-stream", "text/comma-separated-values"]);

/** Checks the uploaded file before anything is kept: present, not empty, within size, text CSV. */
export function checkUploadedFile(file: FormDataEntryValue | null): File {
  if (!file || typeof file === "string" || (file.size === 0 && !file.name)) throw new UploadProblem("CSV ファイルを選んでください。", 400, { file: ["ファイルを選んでください"] });
  if (file.size === 0) throw new UploadProblem("ファイルが空です（0 バイト）。内容のある CSV ファイルを選んでください。", 400, { file: ["ファイルが空です"] });
  if (file.size > MAX_UPLOAD_BYTES) throw new UploadProblem("ファイルが大きすぎます（20 MB まで）。", 413, { file: ["20 MB までのファイルを選んでください"] });
  const type = file.type.split(";")[0].trim().toLowerCase();
  if (!CSV_NAME.test(file.name) || !CSV_TYPES.has(type)) {
    throw new UploadProblem(`CSV ファイル（拡張子 .csv）を選んでください（「${file.name}」は CSV ではないようです）。Excel の場合は「CSV（コンマ区切り）」で保存してください。`, 400, {
      file: ["CSV ファイルを選んでください"],
    });
  }
  return file;
}

/** Decodes and parses; a file that is not a readable CSV table is a 400 with the reason. */
export function readUploadTable(bytes: Uint8Array): CsvTable {
  let table: CsvTable;
  try {
    table = readImportTable(bytes);
  } catch (error) {
    if (error instanceof ImportInputError) throw new UploadProblem(error.message, 400, { file: [error.message] });
    throw error;
  }
  if (table.header.length === 0 || table.header.every((name) => name === "")) {
    throw new UploadProblem("見出し行がありません（空のファイル）。1 行目に列の名前が並んだ CSV を選んでください。", 400, { file: ["見出し行がありません"] });
  }
  if (table.header.length < 2) {
    throw new UploadProblem("CSV として読めません（列が 1 つしかありません）。コンマ区切りの CSV ファイルを選んでください。", 400, { file: ["コンマ区切りの CSV ではありません"] });
  }
  if (table.records.length === 0 && table.problems.length === 0) {
    throw new UploadProblem("見出し行のほかにデータの行がありません。", 400, { file: ["データの行がありません"] });
  }
  return table;
}

// ---------------------------------------------------------------------------------------------
// Sources: an existing one, or a new one typed on the form (its key follows publisher + dataset,
// so uploading the next version of the same list updates the same entries).

export async function listSourcesForImport(db: Database) {
  return db.select({ id: sources.id, key: sources.key, publisher: sources.publisher, dataset: sources.dataset }).from(sources).orderBy(sources.publisher, sources.dataset);
}

const FIELD_MAX = 500;

export async function sourceFromForm(db: Database, fields: Record<string, string | undefined>, fileName: string): Promise<SourceOverrides> {
  const value = (name: string) => {
    const text = (fields[name] ?? "").trim();
    return text === "" ? undefined : text;
  };
  const errors: Record<string, string[]> = {};
  for (const name of ["publisher", "dataset", "licence", "licenceUrl", "attribution", "sourceUrl"]) {
    if ((value(name) ?? "").length > FIELD_MAX) errors[name] = [`${FIELD_MAX}文字以内で入力してください`];
  }
  const existing = value("sourceId");
  if (existing) {
    const id = Number(existing);
    const [row] = Number.isInteger(id) ? await db.select().from(sources).where(eq(sources.id, id)) : [];
    if (!row) throw new UploadProblem("選んだ出典が見つかりません。", 400, { sourceId: ["登録済みの出典から選んでください"] });
    return {
      key: row.key,
      publisher: row.publisher,
      dataset: row.dataset,
      licence: row.licence,
      licenceUrl: row.licenceUrl ?? undefined,
      attribution: row.attribution,
      sourceUrl: row.sourceUrl ?? undefined,
    };
  }
  const publisher = value("publisher");
  const licence = value("licence");
  if (publisher || licence || value("dataset")) {
    if (!publisher) errors.publisher = ["公開者（自治体・団体名）を入力してください"];
    if (!licence) errors.licence = ["ライセンス（例: CC BY 4.0）を入力してください"];
  }
  for (const name of ["licenceUrl", "sourceUrl"]) {
    const url = value(name);
    if (url && !/^https?:\/\/\S+$/.test(url)) errors[name] = ["http:// か https:// で始まる URL を入力してください"];
  }
  if (Object.keys(errors).length > 0) throw new UploadProblem("出典の入力を確認してください。", 400, errors);
  if (!publisher || !licence) return {};
  const dataset = value("dataset") ?? fileName.replace(/\.[^.]+$/, "");
  const key = `upload:${crypto.createHash("sha256").update(`${publisher}\n${dataset}`).digest("hex").slice(0, 16)}`;
  return { key, publisher, dataset, licence, licenceUrl: value("licenceUrl"), attribution: value("attribution"), sourceUrl: value("sourceUrl") };
}

const hasSource = (source: SourceOverrides | MappingSource | undefined) => Boolean(source?.publisher && source.licence);

const noSource = () =>
  new UploadProblem("出典を指定してください。登録済みの出典を選ぶか、公開者とライセンスを入力してください（場所のページに表示します）。", 400, {
  publisher: ["公開者を入力してください"],
  licence: ["ライセンスを入力してください"],
});

// ---------------------------------------------------------------------------------------------
// Saved mappings.

export interface SavedMapping {
  id: number;
  name: string;
  mapping: ColumnMapping;
  headers: string[];
  updatedAt: Date;
}

export async function listImportMappings(db: Database): Promise<SavedMapping[]> {
  const rows = await db
    .select({ id: importMappings.id, name: importMappings.name, mapping: importMappings.mapping, headers: importMappings.headers, updatedAt: importMappings.updatedAt })
    .from(importMappings)
    .orderBy(desc(importMappings.updatedAt), desc(importMappings.id));
  const valid: SavedMapping[] = [];
  for (const row of rows) {
    const parsed = columnMappingSchema.safeParse(row.mapping);
    if (parsed.success) valid.push({ ...row, mapping: parsed.data });
  }
  return valid;
}

/**
 * Saved mappings whose every mapped column is in this header: those saved from exactly this header
 * first, then the most recently saved.
 */
export async function matchingMappings(db: Database, header: readonly string[]): Promise<SavedMapping[]> {
  const same = (saved: SavedMapping) => saved.headers.length === header.length && saved.headers.every((name, index) => name === header[index]);
  const fitting = (await listImportMappings(db)).filter((saved) => missingColumns(saved.mapping, header).length === 0);
  return [...fitting.filter(same), ...fitting.filter((saved) => !same(saved))];
}

export const MAPPING_NAME_MAX = 100;

export async function saveImportMapping(
  db: Database,
  input: { name: string; mapping: ColumnMapping; headers: string[]; userId: number; overwrite: boolean },
): Promise<{ kind: "saved"; id: number } | { kind: "name-taken" }> {
  const [existing] = await db.select({ id: importMappings.id }).from(importMappings).where(eq(importMappings.name, input.name));
  if (existing && !input.overwrite) return { kind: "name-taken" };
  if (existing) {
    await db
      .update(importMappings)
      .set({ mapping: input.mapping, headers: input.headers, createdBy: input.userId, updatedAt: new Date() })
      .where(eq(importMappings.id, existing.id));
    return { kind: "saved", id: existing.id };
  }
  const inserted = await db
    .insert(importMappings)
    .values({ name: input.name, mapping: input.mapping, headers: input.headers, createdBy: input.userId })
    .onConflictDoNothing()
    .returning({ id: importMappings.id });
  // Someone else saved the same name a moment ago.
  return inserted.length > 0 ? { kind: "saved", id: inserted[0].id } : { kind: "name-taken" };
}

export async function deleteImportMapping(db: Database, id: number): Promise<boolean> {
  const deleted = await db.delete(importMappings).where(eq(importMappings.id, id)).returning({ id: importMappings.id });
  return deleted.length > 0;
}

export async function getImportMapping(db: Database, id: number): Promise<SavedMapping | null> {
  return (await listImportMappings(db)).find((saved) => saved.id === id) ?? null;
}

// ---------------------------------------------------------------------------------------------
// The mapping form.

const GUESSES: Record<MappingField, RegExp> = {
  name: /^(名称|施設名|名前|事業所名|name|facilityname|placename|title)$/i,
  nameKana: /^(名称_?カナ|ふりがな|フリガナ|よみがな|kana|namekana|reading)$/i,
  id: /^(id|no|番号|no\.)$/i,
  address: /^(住所|所在地|所在地_連結表記|address)$/i,
  postalCode: /^(郵便番号|〒|postalcode|postcode|zip|zipcode)$/i,
  latitude: /^(緯度|lat|latitude)$/i,
  longitude: /^(経度|lng|lon|long|longitude)$/i,
  phone: /^(電話番号|電話|tel|phone|telephone)$/i,
  email: /^(メール|メールアドレス|email|e-mail|mail)$/i,
  url: /^(url|ホームページ|website|web|homepage)$/i,
  operator: /^(運営者|運営|団体名|operator|organisation|organization)$/i,
  description: /^(説明|概要|内容|description|notes?)$/i,
  capacity: /^(定員|収容定員|capacity)$/i,
  weekdays: /^(曜日|利用可能曜日|開催曜日|days?|weekdays?)$/i,
  startTime: /^(開始時間|開始時刻|開始|opens?|start|starttime|from)$/i,
  endTime: /^(終了時間|終了時刻|終了|closes?|end|endtime|to|until)$/i,
  hours: /^(日時|開催日時|利用可能日時特記事項|hours|openinghours|schedule)$/i,
};
const KIND_GUESS = /^(種別|種類|分類|category|kind|type)$/i;

export interface MappingFormValues {
  columns: Partial<Record<MappingField, string>>;
  kindColumn: string;
  kindValue: string;
}

/** Form values for a mapping (the one in use, or guesses from the header names). */
export function mappingFormValues(header: readonly string[], mapping: ColumnMapping | null): MappingFormValues {
  if (mapping) {
    const columns: Partial<Record<MappingField, string>> = {};
    for (const { field } of MAPPING_FIELDS) {
      const value = mapping[field];
      if (value) columns[field] = normalizeHeader(value);
    }
    return {
      columns,
      kindColumn: typeof mapping.kind === "string" ? normalizeHeader(mapping.kind) : "",
      kindValue: typeof mapping.kind === "string" ? "" : (kindFromCodeOrLabel(mapping.kind.value) ?? ""),
    };
  }
  const columns: Partial<Record<MappingField, string>> = {};
  const taken = new Set<string>();
  for (const { field } of MAPPING_FIELDS) {
    const found = header.find((name) => !taken.has(name) && GUESSES[field].test(name.replace(/\s/g, "")));
    if (found) {
      columns[field] = found;
      taken.add(found);
    }
  }
  return { columns, kindColumn: header.find((name) => KIND_GUESS.test(name)) ?? "", kindValue: "" };
}

/** The mapping the form describes, or the problems with it (each field's in Japanese). */
export function mappingFromForm(fields: Record<string, string | undefined>, header: readonly string[]): ColumnMapping {
  const present = new Set(header);
  const errors: Record<string, string[]> = {};
  const candidate: Record<string, unknown> = {};
  for (const { field, label } of MAPPING_FIELDS) {
    const column = (fields[columnInputName(field)] ?? "").trim();
    if (!column) continue;
    if (!present.has(normalizeHeader(column))) errors[columnInputName(field)] = [`列「${column}」はこのファイルの見出しにありません（${label}）`];
    candidate[field] = column;
  }
  if (!candidate.name && !errors[columnInputName("name")]) errors[columnInputName("name")] = ["名称の列を選んでください（必須）"];
  const kindColumn = (fields.kindColumn ?? "").trim();
  const kindValue = (fields.kindValue ?? "").trim();
  if (kindColumn) {
    if (!present.has(normalizeHeader(kindColumn))) errors.kindColumn = [`列「${kindColumn}」はこのファイルの見出しにありません（種類）`];
    candidate.kind = kindColumn;
  } else if (kindValue) {
    if (!kindFromCodeOrLabel(kindValue)) errors.kindValue = ["一覧にある種類を選んでください"];
    candidate.kind = { value: kindValue };
  } else {
    errors.kindColumn = ["種類の列を選ぶか、すべての行に使う種類を選んでください"];
  }
  if (Object.keys(errors).length > 0) throw new UploadProblem("列の対応を確認してください。", 400, errors);
  const parsed = columnMappingSchema.safeParse(candidate);
  if (!parsed.success) throw new UploadProblem("列の対応を確認してください。", 400, {});
  return parsed.data;
}

/** The first rows of the file as the page shows them: header order, at most `rows` rows. */
export function sampleRows(table: CsvTable, rows = 3): string[][] {
  return table.records.slice(0, rows).map((record) => table.header.map((name) => (record.values[name] ?? "").slice(0, 80)));
}

// ---------------------------------------------------------------------------------------------
// Preview and commit.

export interface PreviewSummary {
  label: string;
  encoding: string;
  fileName: string;
  mappingName: string | null;
  source: { dataset: string; publisher: string; licence: string };
  rowsRead: number;
  create: number;
  update: number;
  unchanged: number;
  excluded: number;
  rejected: Rejection[];
  /** The first entries that would be new. */
  createSample: { row: number; name: string; kind: string; address: string; times: string }[];
}

export const PREVIEW_SAMPLE_ROWS = 10;

/** Plans the upload with its current mapping (or the detected layout). */
export async function planUpload(upload: Upload): Promise<ImportPlan> {
  try {
    return await planImport({ bytes: upload.bytes, fileName: upload.meta.fileName, mapping: upload.meta.mapping, source: upload.meta.source });
  } catch (error) {
    if (error instanceof ImportInputError) {
      if (error.code === "no-source") throw noSource();
      if (error.code === "missing-columns") {
        throw new UploadProblem(`対応表の列がファイルの見出しにありません: ${error.columns.join("、")}。列の対応を選び直してください。`, 400);
      }
      throw new UploadProblem(error.message, 400);
    }
    throw error;
  }
}

const WEEKDAY_LABELS: Record<string, string> = { MO: "月", TU: "火", WE: "水", TH: "木", FR: "金", SA: "土", SU: "日" };

function timesText(plan: ImportPlan, index: number): string {
  const draft = plan.drafts[index];
  const parts = draft.schedules.map((schedule) => {
    const days = /BYDAY=([A-Z,]+)/.exec(schedule.rrule)?.[1];
    const when = days ? `毎週${days.split(",").map((day) => WEEKDAY_LABELS[day] ?? day).join("・")}` : schedule.rrule;
    const time = schedule.startTime || schedule.endTime ? ` ${schedule.startTime?.slice(0, 5) ?? ""}～${schedule.endTime?.slice(0, 5) ?? ""}` : "";
    return `${when}${time}`;
  });
  return parts.join("、") || draft.resource.hoursNote || "";
}

export async function previewUpload(db: Database, upload: Upload): Promise<PreviewSummary> {
  const plan = await planUpload(upload);
  const result = await executeImport(db, plan, { mode: "dry-run", today: todayInTokyo() });
  const created = new Set(result.createdRows.slice(0, PREVIEW_SAMPLE_ROWS));
  const createSample = plan.drafts
    .map((draft, index) => ({ draft, index }))
    .filter(({ draft }) => created.has(draft.row))
    .map(({ draft, index }) => ({
      row: draft.row,
      name: draft.resource.name,
      kind: kindLabel(draft.resource.kind),
      address: [draft.resource.prefecture, draft.resource.city, draft.resource.addressLine].filter(Boolean).join(""),
      times: timesText(plan, index),
    }));
  return {
    label: upload.meta.mappingName ? `保存済みの対応表「${upload.meta.mappingName}」` : plan.label,
    encoding: plan.encoding,
    fileName: upload.meta.fileName,
    mappingName: upload.meta.mappingName,
    source: { dataset: plan.source.dataset, publisher: plan.source.publisher, licence: plan.source.licence },
    rowsRead: plan.rowsRead,
    create: result.create,
    update: result.update,
    unchanged: result.unchanged,
    excluded: plan.excluded.length,
    rejected: plan.rejected,
    createSample,
  };
}

export interface CommitSummary extends ImportResult {
  mode: ImportMode;
  dataset: string;
}

/** Commits in one transaction (the audit row commits with it); deletes the upload when written. */
export async function commitUpload(
  db: Database,
  upload: Upload,
  input: { mode: "all-or-nothing" | "valid-only"; actor: { id: number; role: Role }; requestId?: string | null; ipHash?: string | null },
): Promise<CommitSummary> {
  const plan = await planUpload(upload);
  const modeLabel = input.mode === "valid-only" ? "正しい行だけ" : "すべて";
  const result = await executeImport(db, plan, {
    mode: input.mode,
    today: todayInTokyo(),
    inTransaction: async (tx, outcome) => {
      await recordAudit(tx, {
        action: "resource.import",
        actor: input.actor,
        recordType: "source",
        recordId: plan.source.key,
        purpose: `CSV の取り込み（${modeLabel}）: 新規 ${outcome.create}・更新 ${outcome.update}・変更なし ${outcome.unchanged}・不正 ${plan.rejected.length}`,
        requestId: input.requestId,
        ipHash: input.ipHash,
      });
    },
  });
  if (result.blocked) {
    await recordAudit(db, {
      action: "resource.import",
      outcome: "failure",
      actor: input.actor,
      recordType: "source",
      recordId: plan.source.key,
      purpose: `CSV の取り込み（すべて）: 不正な行 ${plan.rejected.length} 件のため保存せず`,
      requestId: input.requestId,
      ipHash: input.ipHash,
    });
  } else {
    await deleteUpload(upload.token);
  }
  return { ...result, mode: input.mode, dataset: plan.source.dataset };
}

/** What to do after an upload: the detected layout, a saved mapping that fits, or the mapping step. */
export async function routeUpload(
  db: Database,
  upload: Upload,
  table: CsvTable,
): Promise<{ next: "preview"; upload: Upload } | { next: "mapping"; upload: Upload; offered: SavedMapping[] }> {
  if (detectLayout(table.header)) {
    if (!hasSource(upload.meta.source)) throw noSource();
    return { next: "preview", upload };
  }
  const offered = await matchingMappings(db, table.header);
  const usable = offered.find((saved) => hasSource(upload.meta.source) || hasSource(saved.mapping.source));
  if (usable) {
    return { next: "preview", upload: await updateUpload(upload, { mapping: usable.mapping, mappingName: usable.name }) };
  }
  if (!hasSource(upload.meta.source)) throw noSource();
  return { next: "mapping", upload, offered };
}

/** The mapping saved with its source, so the next upload of the same list needs neither. */
export function mappingWithSource(mapping: ColumnMapping, source: SourceOverrides): ColumnMapping {
  const entries = Object.entries(source).filter(([, value]) => typeof value === "string" && value !== "");
  return entries.length > 0 ? { ...mapping, source: Object.fromEntries(entries) as MappingSource } : mapping;
}

export { hasSource };
