// `npx tsx scripts/match.ts --needs FILE.json [--json] [--limit N] [--today YYYY-MM-DD]`: runs
// candidate retrieval and the matching engine over the current database, for evaluation. Exit code
// 0 done, 1 the database or search engine failed, 2 bad arguments or needs file (nothing is opened).
// Nothing is written: the embedded index is built in memory from the database, without touching
// the search outbox (a running server's relay owns it); a Meilisearch index is only queried.
import { readFile } from "node:fs/promises";
import { kindLabel } from "../../db/vocabulary";
import type { DatabaseHandle } from "../../db/client.server";
import type { SearchEngine } from "../../search/types";
import { matchFromDirectory } from "./candidates.server";
import { parseNeeds, type Needs } from "./needs";
import type { MatchResult } from "./types";
import { LADDER_STEPS, ladderLabel } from "./vocabulary";

export interface MatchCliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface MatchCliDeps {
  io?: MatchCliIo;
  /** An open database and engine (tests); when omitted the CLI opens DATABASE_URL / PGlite. */
  open?: () => Promise<{ handle: DatabaseHandle; engine: SearchEngine }>;
}

export const MATCH_USAGE =
  "使い方: npx tsx scripts/match.ts --needs ニーズ.json [--json] [--limit 件数(1〜100)] [--today YYYY-MM-DD]\n" +
  "(usage: npx tsx scripts/match.ts --needs FILE.json [--json] [--limit N] [--today YYYY-MM-DD])";

class UsageError extends Error {}

interface MatchCliArgs {
  needsFile: string;
  json: boolean;
  limit: number;
  today: string | null;
}

export function parseMatchArgs(argv: readonly string[]): MatchCliArgs {
  const args: Partial<MatchCliArgs> = { json: false, limit: 10, today: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "" || (inline === undefined && v.startsWith("--"))) {
        throw new UsageError(`${flag} には値が必要です (${flag} needs a value)`);
      }
      return v;
    };
    if (flag === "--json") args.json = true;
    else if (flag === "--needs") args.needsFile = value();
    else if (flag === "--limit") {
      const text = value();
      const n = Number(text);
      if (!/^\d+$/.test(text) || n < 1 || n > 100) throw new UsageError(`--limit は1〜100の整数にしてください: ${text} (--limit must be an integer from 1 to 100)`);
      args.limit = n;
    } else if (flag === "--today") {
      const text = value();
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
        throw new UsageError(`--today は YYYY-MM-DD で指定してください: ${text} (--today must be YYYY-MM-DD)`);
      }
      args.today = text;
    } else throw new UsageError(`知らない引数です: ${arg} (unknown argument)`);
  }
  if (!args.needsFile) throw new UsageError("--needs でニーズのファイルを指定してください (--needs FILE.json is required)");
  return args as MatchCliArgs;
}

/** Reads and validates the needs file; every problem is a Japanese (English) line. */
export async function readNeedsFile(file: string): Promise<{ ok: true; needs: Needs } | { ok: false; errors: string[] }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      errors: [code === "ENOENT" ? `ファイルが見つかりません: ${file} (needs file not found)` : `ファイルを読めません: ${file}（${code ?? "エラー"}） (cannot read the needs file)`],
    };
  }
  let input: unknown;
  try {
    input = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    return { ok: false, errors: [`JSON として読めません: ${error instanceof Error ? error.message : String(error)} (the needs file is not valid JSON)`] };
  }
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return { ok: false, errors: ["ニーズは JSON のオブジェクト { … } で書いてください (the needs file must hold a JSON object)"] };
  }
  return parseNeeds(input);
}

export function todayInTokyo(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Tokyo" }).format(now);
}

/** The JSON the CLI prints with --json (the issue's format, plus startStep, cautions and sample). */
export function matchJson(result: MatchResult) {
  return {
    suggestions: result.suggestions.map((s) => ({
      resourceId: s.resourceId,
      name: s.name,
      kind: s.kind,
      step: s.step,
      score: s.score,
      reasons: s.reasons,
      cautions: s.cautions,
      sample: s.sample,
    })),
    excludedCount: result.excludedCount,
    unmet: result.unmet,
    startStep: result.startStep,
  };
}

/** Steps in the order the staff page shows them: from the start step up, then the ones below. */
export function stepOrder(startStep: number): number[] {
  const steps = LADDER_STEPS.map((s) => s.step as number);
  return [...steps.filter((s) => s >= startStep), ...steps.filter((s) => s < startStep).reverse()];
}

/** The readable Japanese listing, grouped by ladder step. */
export function matchText(result: MatchResult, candidateCount: number): string {
  const lines: string[] = [];
  lines.push(`候補 ${candidateCount} 件（除外 ${result.excludedCount} 件） 開始する段階: ${result.startStep} ${ladderLabel(result.startStep)}`);
  if (result.unmet) lines.push("※ 条件に合う場所が見つかりませんでした（不足している社会資源として記録してください）");
  let rank = 0;
  const rankOf = new Map(result.suggestions.map((s) => [s, ++rank]));
  for (const step of stepOrder(result.startStep)) {
    const group = result.suggestions.filter((s) => s.step === step);
    if (group.length === 0) continue;
    lines.push("", `■ 段階${step} ${ladderLabel(step)}`);
    for (const s of group) {
      lines.push(`  ${rankOf.get(s)}. ${s.score}点 ${s.name}（${kindLabel(s.kind)}）${s.sample ? " [サンプル]" : ""} #${s.resourceId}`);
      for (const reason of s.reasons) lines.push(`      ・${reason}`);
      if (s.cautions.length > 0) lines.push(`      注意: ${s.cautions.join("／")}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

async function openDefault(): Promise<{ handle: DatabaseHandle; engine: SearchEngine }> {
  const { openDatabase } = await import("../../db/client.server");
  const { migrateDatabase } = await import("../../db/migrate.server");
  const { createSearchEngine } = await import("../../search/engine.server");
  const { EmbeddedSearchEngine } = await import("../../search/embedded");
  const handle = await openDatabase();
  try {
    await migrateDatabase(handle);
    const engine = createSearchEngine();
    if (engine instanceof EmbeddedSearchEngine) {
      // Readings are for kana text queries; retrieval uses filters and geo only.
      const { loadSearchDocuments } = await import("../../search/documents.server");
      await engine.replaceAll(await loadSearchDocuments(handle.db, undefined, { readings: false }));
    }
    return { handle, engine };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

export async function runMatchCli(argv: readonly string[], deps: MatchCliDeps = {}): Promise<number> {
  const io = deps.io ?? { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };
  let args: MatchCliArgs;
  try {
    args = parseMatchArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${error.message}\n${MATCH_USAGE}\n`);
    return 2;
  }
  const parsed = await readNeedsFile(args.needsFile);
  if (!parsed.ok) {
    io.stderr(`ニーズのファイルに誤りがあります (invalid needs file): ${args.needsFile}\n${parsed.errors.map((e) => `  - ${e}`).join("\n")}\n`);
    return 2;
  }
  const { handle, engine } = await (deps.open ?? openDefault)();
  try {
    const { result, candidateCount } = await matchFromDirectory(handle, engine, parsed.needs, args.today ?? todayInTokyo(), { limit: args.limit });
    io.stdout(args.json ? `${JSON.stringify(matchJson(result), null, 2)}\n` : matchText(result, candidateCount));
    return 0;
  } finally {
    if (!deps.open) await handle.close();
  }
}
