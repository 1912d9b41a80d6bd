// scripts/import.ts through its main function (runImportCli) on a real database (PGlite, or
// PostgreSQL when TEST_DATABASE_URL is set), and once as a child process for the exit code and the
// exact --json output.
import { execFile, spawn } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { and, count, eq, like } from "drizzle-orm";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { openDatabase } from "../../db/client.server";
import { correctionReports, resources, schedules, sources } from "../../db/schema";
import { runImportCli, VANISHED_MESSAGE_PREFIX, type CliDeps } from "../../app/import/import-cli.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

const FIXTURES = path.resolve("tests/fixtures/import");
const ENGLISH = path.join(FIXTURES, "english-header.csv");
const ENGLISH_MAPPING = path.join(FIXTURES, "english-header.mapping.json");
const BROKEN = path.join(FIXTURES, "broken-row.csv");
const SOURCE_KEY = "example-english-list";

let database: TestDatabase;
let scratch: string;

beforeAll(async () => {
  database = await createTestDatabase();
  scratch = await mkdtemp(path.join(os.tmpdir(), "import-cli-"));
}, 120_000);

afterAll(async () => {
  await database?.cleanup();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], deps: Omit<CliDeps, "handle" | "io"> = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runImportCli(argv, {
    handle: database,
    io: { stdout: (text) => out.push(text), stderr: (text) => err.push(text), isTTY: false },
    today: "2026-11-01",
    ...deps,
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

async function runJson(argv: string[], deps: Omit<CliDeps, "handle" | "io"> = {}) {
  const result = await run([...argv, "--json"], deps);
  return { code: result.code, preview: JSON.parse(result.stdout) as { create: number; update: number; unchanged: number; rejected: unknown[] } };
}

async function resourcesOf(sourceKey: string): Promise<number> {
  const [{ n }] = await database.db
    .select({ n: count() })
    .from(resources)
    .innerJoin(sources, eq(resources.sourceId, sources.id))
    .where(eq(sources.key, sourceKey));
  return n;
}

async function sourceExists(sourceKey: string): Promise<boolean> {
  const rows = await database.db.select({ id: sources.id }).from(sources).where(eq(sources.key, sourceKey));
  return rows.length > 0;
}

describe("the real files in db/open-data", () => {
  const expected: [string, string, number][] = [
    ["yaizu/222127_child_rearing_support_center.csv", "yaizu-child-rearing-support-center", 9],
    ["yaizu/222127_community_center.csv", "yaizu-community-center", 9],
    ["yaizu/yohairyosya.csv", "yaizu-yohairyosya", 146],
    ["yaizu/222127_public_facility-59773.csv", "yaizu-public-facility", 8],
    ["kudamatsu/352071_care_service.csv", "kudamatsu-care-service", 62],
    ["tokyo-kodomoshokudo/tokyo_kodomoshokudo_final.csv", "tokyo-kodomo-shokudo", 769],
  ];

  test("each imports with the same counts as the open-data import, and a dry run stores nothing", async () => {
    for (const [file, key, n] of expected) {
      const dry = await runJson([path.resolve("db/open-data", file), "--dry-run"]);
      expect([file, dry.code, dry.preview]).toEqual([file, 0, { create: n, update: 0, unchanged: 0, rejected: [] }]);
      expect(await sourceExists(key)).toBe(false);

      const real = await runJson([path.resolve("db/open-data", file)]);
      expect([file, real.code, real.preview]).toEqual([file, 0, { create: n, update: 0, unchanged: 0, rejected: [] }]);
      expect(await resourcesOf(key)).toBe(n);
    }
  }, 120_000);

  test("a re-import creates no duplicate and changes nothing", async () => {
    const [{ before }] = await database.db.select({ before: count() }).from(resources);
    for (const [file, , n] of expected) {
      const again = await runJson([path.resolve("db/open-data", file)]);
      expect([file, again.preview]).toEqual([file, { create: 0, update: 0, unchanged: n, rejected: [] }]);
    }
    const [{ after }] = await database.db.select({ after: count() }).from(resources);
    expect(after).toBe(before);
  }, 120_000);
});

describe("a mapped layout with English headers and full-width times", () => {
  test("imports with weekly schedules, kinds from the category column and its source's attribution", async () => {
    const result = await runJson([ENGLISH, "--mapping", ENGLISH_MAPPING]);
    expect(result).toEqual({ code: 0, preview: { create: 3, update: 0, unchanged: 0, rejected: [] } });

    const rows = await database.db
      .select({ name: resources.name, kind: resources.kind, phone: resources.phone, city: resources.city, attribution: sources.attribution })
      .from(resources)
      .innerJoin(sources, eq(resources.sourceId, sources.id))
      .where(eq(sources.key, SOURCE_KEY))
      .orderBy(resources.id);
    expect(rows.map((row) => [row.name, row.kind, row.phone, row.city])).toEqual([
      ["Sakura Salon", "salon", "054-626-1111", "焼津市"],
      ["ひまわり子ども食堂", "kodomo_shokudo", "054-628-2222", "焼津市"],
      ["みなと公民館", "kominkan", "054-627-3333", "焼津市"],
    ]);
    expect(rows[0].attribution).toContain("Example Community Association");

    const times = await database.db
      .select({ name: resources.name, rrule: schedules.rrule, startTime: schedules.startTime, endTime: schedules.endTime })
      .from(schedules)
      .innerJoin(resources, eq(schedules.resourceId, resources.id))
      .innerJoin(sources, eq(resources.sourceId, sources.id))
      .where(eq(sources.key, SOURCE_KEY))
      .orderBy(resources.id);
    expect(times.map((row) => [row.rrule, row.startTime?.slice(0, 5), row.endTime?.slice(0, 5)])).toEqual([
      ["FREQ=WEEKLY;BYDAY=MO,WE", "10:00", "12:00"],
      ["FREQ=WEEKLY;BYDAY=FR", "17:30", "19:30"],
      ["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA", "09:00", "21:00"],
    ]);

    const again = await runJson([ENGLISH, "--mapping", ENGLISH_MAPPING]);
    expect(again.preview).toEqual({ create: 0, update: 0, unchanged: 3, rejected: [] });
    expect(await resourcesOf(SOURCE_KEY)).toBe(3);
  });

  test("a row that vanished from the source is flagged for review once, not deleted", async () => {
    const text = await readFile(ENGLISH, "utf8");
    const shorter = path.join(scratch, "english-shorter.csv");
    await writeFile(shorter, text.split("\n").filter((line) => !line.startsWith("みなと公民館")).join("\n"));
    const flagged = () =>
      database.db
        .select({ name: resources.name, message: correctionReports.message })
        .from(correctionReports)
        .innerJoin(resources, eq(correctionReports.resourceId, resources.id))
        .where(and(eq(correctionReports.status, "open"), like(correctionReports.message, `${VANISHED_MESSAGE_PREFIX}%`)));

    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await runJson([shorter, "--mapping", ENGLISH_MAPPING]);
      expect(result.preview).toEqual({ create: 0, update: 0, unchanged: 2, rejected: [] });
      const reports = await flagged();
      expect(reports.map((report) => report.name)).toEqual(["みなと公民館"]);
    }
    expect(await resourcesOf(SOURCE_KEY)).toBe(3);
  });
});

test("a 子育て施設一覧 (推奨データセット) file is recognised from its header; nurseries are left out, not rejected", async () => {
  const file = path.join(FIXTURES, "childcare-recommended.csv");
  const args = [file, "--source-key", "childcare-sample", "--source-publisher", "焼津市", "--source-licence", "CC BY 4.0"];
  const result = await runJson(args);
  expect(result).toEqual({ code: 0, preview: { create: 1, update: 0, unchanged: 0, rejected: [] } });
  const rows = await database.db
    .select({ name: resources.name, kind: resources.kind, rrule: schedules.rrule, startTime: schedules.startTime })
    .from(resources)
    .innerJoin(sources, eq(resources.sourceId, sources.id))
    .leftJoin(schedules, eq(schedules.resourceId, resources.id))
    .where(eq(sources.key, "childcare-sample"));
  expect(rows.map((row) => [row.name, row.kind, row.rrule, row.startTime?.slice(0, 5)])).toEqual([
    ["にこにこ広場", "kosodate_shien", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "09:00"],
  ]);
  const text = await run([...args, "--dry-run"]);
  expect(text.stdout).toContain("子育て施設一覧（推奨データセット）");
  expect(text.stdout).toContain("対象外 1");
});

describe("a file with a broken row", () => {
  const key = "broken-row-list";
  const args = [BROKEN, "--mapping", ENGLISH_MAPPING, "--source-key", key];
  const rejection = { row: 3, column: "Lat", reason: "緯度・経度が数値でないか、日本の範囲外です" };

  test("is reported and, all or nothing, stores nothing (exit code 1)", async () => {
    const dry = await runJson([...args, "--dry-run"]);
    expect(dry).toEqual({ code: 0, preview: { create: 2, update: 0, unchanged: 0, rejected: [rejection] } });

    const result = await runJson(args);
    expect(result.code).toBe(1);
    expect(result.preview.rejected).toEqual([rejection]);
    expect(await sourceExists(key)).toBe(false);

    const text = await run(args);
    expect(text.stdout).toContain("3 行目 [Lat]");
    expect(text.stdout).toContain("何も保存していません");
  });

  test("--valid-only stores the valid rows and reports the broken one", async () => {
    const result = await runJson([...args, "--valid-only"]);
    expect(result).toEqual({ code: 0, preview: { create: 2, update: 0, unchanged: 0, rejected: [rejection] } });
    expect(await resourcesOf(key)).toBe(2);
  });
});

describe("encodings", () => {
  test("a CP932 file (not valid UTF-8) is decoded as CP932", async () => {
    const file = path.join(scratch, "english-cp932.csv");
    await writeFile(file, iconv.encode(await readFile(ENGLISH, "utf8"), "cp932"));
    const result = await runJson([file, "--mapping", ENGLISH_MAPPING, "--source-key", "cp932-list"]);
    expect(result.preview).toMatchObject({ create: 3, rejected: [] });
    const names = await database.db
      .select({ name: resources.name })
      .from(resources)
      .innerJoin(sources, eq(resources.sourceId, sources.id))
      .where(eq(sources.key, "cp932-list"));
    expect(names.map((row) => row.name)).toContain("ひまわり子ども食堂");
  });

  test("a file with replacement characters (mojibake) is reported and never stored", async () => {
    const file = path.join(scratch, "mojibake.csv");
    await writeFile(file, (await readFile(ENGLISH, "utf8")).replace("ひまわり", "\uFFFD\uFFFD\uFFFD"));
    const result = await run([file, "--mapping", ENGLISH_MAPPING, "--source-key", "mojibake-list"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("文字化け");
    expect(await sourceExists("mojibake-list")).toBe(false);
  });

  test("a wrong-encoding file whose header decodes to nothing known is reported and never stored", async () => {
    // EUC-JP is not valid UTF-8, so it is read as CP932: the 公共施設一覧 header becomes mojibake.
    const original = await readFile(path.resolve("db/open-data/yaizu/222127_community_center.csv"), "utf8");
    const file = path.join(scratch, "community-eucjp.csv");
    await writeFile(file, iconv.encode(original.replace(/^\uFEFF/, ""), "euc-jp"));
    const result = await run([file, "--source-key", "eucjp-list", "--source-publisher", "焼津市", "--source-licence", "CC BY 4.0"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/文字化け|一致しません/);
    expect(await sourceExists("eucjp-list")).toBe(false);
  });
});

test("a crash mid-import (simulated by an injected failure inside the transaction after 2 rows) leaves nothing", async () => {
  await expect(run([ENGLISH, "--mapping", ENGLISH_MAPPING, "--source-key", "crash-list"], { failAfterRows: 2 })).rejects.toThrow(/障害/);
  expect(await sourceExists("crash-list")).toBe(false);
  expect(await resourcesOf("crash-list")).toBe(0);
});

describe("bad arguments and mappings exit with code 2 and a Japanese message", () => {
  test.each([
    [[], "取り込むファイルを指定してください"],
    [[ENGLISH, "--unknown"], "不明なオプションです"],
    [[ENGLISH, "--mapping"], "--mapping には値が必要です"],
    [[ENGLISH, "--mapping", path.join(FIXTURES, "missing.json")], "対応表（マッピング）ファイルを読めません"],
    [[path.join(FIXTURES, "missing.csv"), "--mapping", ENGLISH_MAPPING], "ファイルを読めません"],
  ])("%j", async (argv, message) => {
    const result = await run(argv as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  test("unknown mapping fields and columns the file lacks", async () => {
    const mapping = JSON.parse(await readFile(ENGLISH_MAPPING, "utf8")) as Record<string, unknown>;
    const unknownField = path.join(scratch, "unknown-field.json");
    await writeFile(unknownField, JSON.stringify({ ...mapping, colour: "Colour" }));
    const first = await run([ENGLISH, "--mapping", unknownField]);
    expect([first.code, first.stderr.includes("不明な項目があります: colour")]).toEqual([2, true]);

    const missingColumn = path.join(scratch, "missing-column.json");
    await writeFile(missingColumn, JSON.stringify({ ...mapping, phone: "Telephone" }));
    const second = await run([ENGLISH, "--mapping", missingColumn]);
    expect([second.code, second.stderr.includes("対応表の列がファイルの見出しにありません: Telephone")]).toEqual([2, true]);

    const badKind = path.join(scratch, "bad-kind.json");
    await writeFile(badKind, JSON.stringify({ ...mapping, kind: { value: "castle" } }));
    const fixed = await run([ENGLISH, "--mapping", badKind]);
    expect([fixed.code, fixed.stderr.includes("kind の値「castle」")]).toEqual([2, true]);

    const noSource = path.join(scratch, "no-source.json");
    await writeFile(noSource, JSON.stringify({ ...mapping, source: undefined }));
    const third = await run([ENGLISH, "--mapping", noSource]);
    expect([third.code, third.stderr.includes("出典が分かりません")]).toEqual([2, true]);
  });
});

describe("the script as a child process", () => {
  const execFileAsync = promisify(execFile);
  const script = path.resolve("scripts/import.ts");
  const tsx = path.resolve("node_modules/.bin/tsx");

  test("--dry-run --json prints exactly the preview; bad arguments exit with 2", async () => {
    const pgliteDir = path.join(scratch, "child-pglite");
    const env = { ...process.env, DATABASE_URL: "", PGLITE_DIR: pgliteDir };
    const { stdout } = await execFileAsync(tsx, [script, BROKEN, "--mapping", ENGLISH_MAPPING, "--dry-run", "--json"], { env });
    expect(JSON.parse(stdout)).toEqual({
      create: 2,
      update: 0,
      unchanged: 0,
      rejected: [{ row: 3, column: "Lat", reason: "緯度・経度が数値でないか、日本の範囲外です" }],
    });
    expect(stdout.trim().startsWith('{"create":2,"update":0,"unchanged":0,"rejected":[')).toBe(true);

    const failed = await execFileAsync(tsx, [script, "--no-such-flag"], { env }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain("不明なオプションです");
  }, 60_000);
});

test("a crash mid-import (the CLI process killed with SIGKILL inside its transaction) leaves no half import", async () => {
  // A copy of the migrated PGlite template; the child writes the 769 Tokyo rows one by one and is
  // killed once its progress bar (forced on for a pipe) shows that rows were written.
  const dir = path.join(scratch, "killed-pglite");
  await cp(inject("pgliteTemplateDir"), dir, { recursive: true });
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.resolve("scripts/import.ts"), path.resolve("db/open-data/tokyo-kodomoshokudo/tokyo_kodomoshokudo_final.csv")],
    { env: { ...process.env, DATABASE_URL: "", PGLITE_DIR: dir, PORTAL_IMPORT_PROGRESS: "1" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let progress = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      progress += chunk.toString("utf8");
      const percents = [...progress.matchAll(/\((\d+)%\)/g)].map((match) => Number(match[1]));
      if (percents.some((percent) => percent >= 10 && percent < 90)) {
        child.kill("SIGKILL");
        resolve();
      }
    });
    void exited.then(() => reject(new Error(`the import ended before it could be killed: ${progress.slice(-200)}`)));
  });
  expect((await exited).signal).toBe("SIGKILL");

  const reopened = await openDatabase({ url: "", pgliteDir: dir });
  try {
    const stored = await reopened.db.select({ n: count() }).from(resources);
    const source = await reopened.db.select({ id: sources.id }).from(sources).where(eq(sources.key, "tokyo-kodomo-shokudo"));
    expect([stored[0].n, source.length]).toEqual([0, 0]);
  } finally {
    await reopened.close();
  }
}, 90_000);
