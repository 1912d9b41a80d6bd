// `npx tsx scripts/import.ts FILE [--mapping M.json] [--dry-run] [--json] [--source-key KEY]
// [--valid-only] [--source-publisher …]`: one CSV file into the directory. The layout is detected
// from the header (推奨データセット / 正式版 standard lists, the bundled Yaizu and Tokyo files) or
// given by a column mapping. Everything is written in ONE transaction: with rejected rows nothing
// is stored (exit 1) unless --valid-only. Re-import upserts by (source, source row id); rows that
// vanished from the source get an open correction report (the coordinators' queue), never deleted.
// This file is the command line only; reading, planning and writing are import-file.server.ts,
// which the admin upload page (/admin/import) uses too.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { DatabaseHandle } from "../../db/client.server";
import { columnMappingSchema, type ColumnMapping, type Rejection } from "./column-mapping";
import {
  executeImport,
  importBlocked,
  ImportInputError,
  planImport,
  todayInTokyo,
  type ImportMode,
  type ImportPlan,
  type ImportPreview,
  type SourceOverrides,
  type WriteOutcome,
} from "./import-file.server";

export { detectLayout, VANISHED_MESSAGE_PREFIX, type ImportPreview } from "./import-file.server";

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

class UsageError extends Error {}

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

async function planFile(args: CliArgs): Promise<ImportPlan> {
  const mapping = args.values["--mapping"] ? await readMapping(args.values["--mapping"]) : null;
  let bytes: Buffer;
  try {
    bytes = await readFile(args.file);
  } catch {
    throw new UsageError(`ファイルを読めません: ${args.file}`);
  }
  const flag = args.values;
  const source: SourceOverrides = {
    key: flag["--source-key"],
    publisher: flag["--source-publisher"],
    dataset: flag["--source-dataset"],
    licence: flag["--source-licence"],
    licenceUrl: flag["--source-licence-url"],
    attribution: flag["--source-attribution"],
    sourceUrl: flag["--source-url"],
  };
  return planImport({ bytes, fileName: path.basename(args.file), mapping, source, absolutePath: path.resolve(args.file) });
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
  let plan: ImportPlan;
  try {
    args = parseCliArgs(argv);
    plan = await planFile(args);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof ImportInputError && error.kind === "usage")) {
      io.stderr(`エラー: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ImportInputError) {
      io.stderr(`エラー: ${error.message}\n`);
      return 1;
    }
    throw error;
  }

  const mode: ImportMode = args.dryRun ? "dry-run" : args.validOnly ? "valid-only" : "all-or-nothing";
  const blocked = importBlocked(plan, mode);
  let outcome: WriteOutcome = { create: 0, update: 0, unchanged: 0, vanished: 0, createdRows: [] };
  if (!blocked) {
    const handle = deps.handle ?? (await openMigrated());
    try {
      const bar = progressBar(io, plan.drafts.length);
      outcome = await executeImport(handle.db, plan, {
        mode,
        today: deps.today ?? todayInTokyo(),
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
