// scripts/match.ts as a user runs it: a child process against a test database (the open data plus
// the sample venues). Bad arguments and needs files exit with 2 before any database is opened.
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loadSampleResources } from "~/models/sample-data.server";
import { createTestDatabaseWithOpenData, testEngine, type TestDatabase } from "../helpers/db";
import { withDatabase } from "../setup/global-setup";

const root = path.resolve(import.meta.dirname, "../..");
let database: TestDatabase;
let databaseEnv: Record<string, string> = {};
let scratch: string;

const withdrawnWoman = {
  location: { lat: 34.866, lon: 138.318 },
  targetGroups: ["障がいのある人", "生活困窮"],
  interests: ["手芸・創作"],
  wants: ["居場所"],
  availability: [
    { weekday: "TU", from: "10:00", to: "15:00" },
    { weekday: "TH", from: "10:00", to: "15:00" },
  ],
  conditions: { smallGroup: true, quiet: true, needsAccompaniment: true, firstTimeFriendly: true },
  maxDistanceKm: 3,
};

function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const baseEnv = { ...process.env };
    delete baseEnv.DATABASE_URL;
    delete baseEnv.MEILI_HOST;
    const child = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/match.ts", ...args], {
      cwd: root,
      env: { ...baseEnv, PGLITE_DIR: path.join(scratch, "never-opened"), ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function needsFile(name: string, content: string): Promise<string> {
  const file = path.join(scratch, name);
  await fs.writeFile(file, content);
  return file;
}

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), "match-cli-"));
  database = await createTestDatabaseWithOpenData();
  await loadSampleResources(database);
  if (testEngine() === "postgres") {
    databaseEnv = { DATABASE_URL: withDatabase(process.env.TEST_DATABASE_URL!, database.location.split("/").pop()!) };
  } else {
    // A PGlite folder is opened by one process at a time: hand it over to the CLI.
    await database.close();
    databaseEnv = { PGLITE_DIR: database.location };
  }
});

afterAll(async () => {
  if (testEngine() === "postgres") await database?.cleanup();
  else if (database) await fs.rm(database.location, { recursive: true, force: true });
  await fs.rm(scratch, { recursive: true, force: true });
});

test("--json prints the suggestions, the excluded count and unmet", { timeout: 120_000 }, async () => {
  const file = await needsFile("woman.json", JSON.stringify(withdrawnWoman));
  const { code, stdout, stderr } = await runCli(["--needs", file, "--json", "--limit", "5", "--today", "2026-11-30"], databaseEnv);
  expect(stderr.replace(/^npm warn.*\n/gm, "")).toBe("");
  expect(code).toBe(0);
  const output = JSON.parse(stdout);
  expect(Object.keys(output)).toEqual(expect.arrayContaining(["suggestions", "excludedCount", "unmet"]));
  expect(output.unmet).toBe(false);
  expect(output.excludedCount).toBeGreaterThan(0);
  expect(output.suggestions.length).toBeGreaterThan(0);
  expect(output.suggestions.length).toBeLessThanOrEqual(5);
  for (const suggestion of output.suggestions) {
    expect(suggestion).toMatchObject({
      resourceId: expect.any(Number),
      name: expect.any(String),
      kind: expect.any(String),
      step: expect.any(Number),
      score: expect.any(Number),
      reasons: expect.any(Array),
    });
  }
  expect(output.suggestions[0]).toMatchObject({ kind: "chiiki_katsudo", name: "地域活動支援センター ゆるり", sample: true });
  expect(output.suggestions[0].reasons).toContain("火・木曜午前の空き時間に開催（次回 12月1日(火)）");
});

test("without --json a readable Japanese list grouped by ladder step", { timeout: 120_000 }, async () => {
  const file = await needsFile("woman-text.json", JSON.stringify(withdrawnWoman));
  const { code, stdout } = await runCli(["--needs", file, "--today", "2026-11-30"], databaseEnv);
  expect(code).toBe(0);
  expect(stdout).toContain("開始する段階: 1 見学・短時間から");
  expect(stdout).toContain("■ 段階1 見学・短時間から");
  expect(stdout).toMatch(/1\. \d+点 地域活動支援センター ゆるり（地域活動支援センター） \[サンプル\]/);
});

test("an unknown field or value in the needs file: Japanese and English error, exit 2", { timeout: 120_000 }, async () => {
  const file = await needsFile("unknown.json", JSON.stringify({ area: "焼津市", colour: "red", wants: ["ダンス"] }));
  const { code, stdout, stderr } = await runCli(["--needs", file, "--json"]);
  expect(code).toBe(2);
  expect(stdout).toBe("");
  expect(stderr).toContain("知らない項目です: colour (unknown field)");
  expect(stderr).toContain("参加の形「ダンス」は使えません");
});

test("a needs file that is not JSON, or missing: exit 2", { timeout: 120_000 }, async () => {
  const broken = await needsFile("broken.json", '{"area": "焼津市",');
  const bad = await runCli(["--needs", broken, "--json"]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("JSON として読めません");
  expect(bad.stderr).toContain("(the needs file is not valid JSON)");
  const missing = await runCli(["--needs", path.join(scratch, "nothing.json")]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain("ファイルが見つかりません");
});

test("bad arguments: exit 2 with the usage", { timeout: 120_000 }, async () => {
  const file = await needsFile("ok.json", JSON.stringify({ area: "焼津市" }));
  for (const args of [["--json"], ["--needs", file, "--limit", "0"], ["--needs", file, "--verbose"], ["--needs", file, "--today", "30/11/2026"]]) {
    const { code, stderr } = await runCli(args);
    expect(code, args.join(" ")).toBe(2);
    expect(stderr).toContain("使い方: npx tsx scripts/match.ts");
  }
});
