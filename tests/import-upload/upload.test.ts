// The admin upload page (/admin/import) through its real loader and action, on a fresh database:
// a standard layout is detected and previewed; an English-header layout with full-width times goes
// through the mapping step, is saved as a named mapping, imported, and re-imported with the saved
// mapping (idempotent); all-or-nothing stores nothing with a broken row, valid-rows-only stores the
// good ones; CP932 works; bad input gets a Japanese message and a 4xx, never a 500.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { and, count, eq } from "drizzle-orm";
import iconv from "iconv-lite";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { setDatabase } from "../../db/client.server";
import { auditLog, importMappings, resources, schedules, sources } from "../../db/schema";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { getRequest, makeUser, ORIGIN, outcome, postForm, signIn } from "../accounts/helpers";
import { action, loader } from "~/routes/admin.import";

const FIXTURES = path.resolve("tests/fixtures/import");
const ENGLISH = path.join(FIXTURES, "english-header.csv");
const BROKEN = path.join(FIXTURES, "broken-row.csv");
const COMMUNITY_CENTRES = path.resolve("db/open-data/yaizu/222127_community_center.csv");

let database: TestDatabase;
type Session = Awaited<ReturnType<typeof signIn>>;
let admin: Session;
let coordinator: Session;
let staff: Session;
/** This file's own upload folder, so runs in parallel (the other engine, the browser test) never meet. */
let uploadDir: string;

beforeAll(async () => {
  uploadDir = await fs.mkdtemp(path.join(os.tmpdir(), "import-upload-test-"));
  process.env.PORTAL_IMPORT_UPLOAD_DIR = uploadDir;
  database = await createTestDatabase();
  setDatabase(database);
  admin = await signIn(database.db, await makeUser(database.db, { role: "admin", totp: true }), { twoFactorVerified: true });
  coordinator = await signIn(database.db, await makeUser(database.db, { role: "coordinator" }));
  staff = await signIn(database.db, await makeUser(database.db, { role: "staff", totp: true }), { twoFactorVerified: true });
}, 120_000);
afterAll(async () => {
  await database?.cleanup();
  delete process.env.PORTAL_IMPORT_UPLOAD_DIR;
  if (uploadDir) await fs.rm(uploadDir, { recursive: true, force: true });
});

const args = (request: Request) => ({ request, params: {}, context: {} }) as unknown as ActionFunctionArgs & LoaderFunctionArgs;

type Result = Awaited<ReturnType<typeof outcome>>;
interface Preview {
  label: string;
  create: number;
  update: number;
  unchanged: number;
  rejected: { row: number; column: string; reason: string }[];
  createSample: { name: string; times: string }[];
}

type UploadFile = { name: string; bytes: Uint8Array<ArrayBuffer>; type?: string };

function uploadRequest(session: Session, file: UploadFile | null, fields: Record<string, string> = {}): Request {
  const form = new FormData();
  form.set("csrf", session.csrf);
  form.set("intent", "upload");
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  if (file) form.set("file", new File([file.bytes], file.name, { type: file.type ?? "text/csv" }));
  return new Request(`${ORIGIN}/admin/import`, { method: "POST", headers: { Origin: ORIGIN, Cookie: session.cookie }, body: form });
}

async function upload(file: UploadFile | null, fields: Record<string, string> = {}, session = admin): Promise<Result> {
  return outcome(() => action(args(uploadRequest(session, file, fields))));
}

async function post(fields: Record<string, string>, session = admin): Promise<Result> {
  return outcome(() => action(args(postForm("/admin/import", { csrf: session.csrf, ...fields }, { cookie: session.cookie }))));
}

const fileOf = async (file: string, name = path.basename(file)): Promise<UploadFile> => ({ name, bytes: new Uint8Array(await fs.readFile(file)) });

const ENGLISH_SOURCE = { publisher: "Example Community Association", dataset: "Community places", licence: "CC BY 4.0" };
/** The English layout's columns, as an admin picks them on the mapping step. */
const ENGLISH_MAPPING = {
  "column.name": "Name",
  "column.address": "Address",
  "column.latitude": "Lat",
  "column.longitude": "Lng",
  "column.phone": "Phone",
  "column.startTime": "Opens",
  "column.endTime": "Closes",
  "column.weekdays": "Days",
  kindColumn: "Category",
};

async function resourcesOfDataset(dataset: string) {
  return database.db
    .select({ id: resources.id, name: resources.name, kind: resources.kind })
    .from(resources)
    .innerJoin(sources, eq(resources.sourceId, sources.id))
    .where(eq(sources.dataset, dataset))
    .orderBy(resources.id);
}

const preview = (result: Result) => result.data.preview as Preview;
const token = (result: Result) => (result.data.token ?? (result.data.mapping as { token: string } | undefined)?.token) as string;

test("a standard 公共施設一覧 file is detected from its header, previewed, then committed with an audit row", async () => {
  const first = await upload(await fileOf(COMMUNITY_CENTRES), { publisher: "焼津市", dataset: "公民館一覧", licence: "CC BY 4.0" });
  expect(first.status, JSON.stringify(first.data)).toBe(200);
  expect(first.data.step).toBe("preview");
  expect(preview(first)).toMatchObject({ label: "公共施設一覧（推奨データセット）", create: 9, update: 0, unchanged: 0, rejected: [] });
  expect(preview(first).createSample.length).toBe(9);
  expect(await resourcesOfDataset("公民館一覧")).toEqual([]);

  const committed = await post({ intent: "commit-all", token: token(first) });
  expect(committed.status, JSON.stringify(committed.data)).toBe(200);
  expect(committed.data).toMatchObject({ step: "done", summary: { create: 9, update: 0, unchanged: 0 } });
  expect((await resourcesOfDataset("公民館一覧")).length).toBe(9);
  const audits = await database.db.select().from(auditLog).where(and(eq(auditLog.action, "resource.import"), eq(auditLog.outcome, "success")));
  expect(audits.length).toBe(1);
  expect(audits[0].purpose).toContain("新規 9");

  // The file is deleted after the commit: its token no longer works.
  const again = await post({ intent: "commit-all", token: token(first) });
  expect(again.status).toBe(410);
  expect(again.data.message).toContain("もう一度アップロード");
});

test("an English-header layout with full-width times goes through the mapping step, is saved and imported with schedules", async () => {
  const uploaded = await upload(await fileOf(ENGLISH), ENGLISH_SOURCE);
  expect(uploaded.status).toBe(200);
  expect(uploaded.data.step).toBe("mapping");
  const view = uploaded.data.mapping as { header: string[]; samples: string[][]; values: { columns: Record<string, string> } };
  expect(view.header).toEqual(["Name", "Address", "Lat", "Lng", "Phone", "Opens", "Closes", "Days", "Category"]);
  expect(view.samples[0][0]).toBe("Sakura Salon");
  // Obvious English names are guessed; the admin can change every one.
  expect(view.values.columns).toMatchObject({ name: "Name", address: "Address", latitude: "Lat", phone: "Phone" });

  const mapped = await post({ intent: "map", token: token(uploaded), ...ENGLISH_MAPPING, saveAs: "English community list" });
  expect(mapped.status, JSON.stringify(mapped.data)).toBe(200);
  expect(mapped.data.step).toBe("preview");
  expect(preview(mapped)).toMatchObject({ create: 3, update: 0, unchanged: 0, rejected: [] });
  expect(preview(mapped).createSample.map((row) => row.times)).toEqual(["毎週月・水 10:00～12:00", "毎週金 17:30～19:30", "毎週月・火・水・木・金・土 09:00～21:00"]);
  expect(await resourcesOfDataset("Community places")).toEqual([]);

  const saved = await database.db.select().from(importMappings).where(eq(importMappings.name, "English community list"));
  expect(saved.length).toBe(1);
  expect(saved[0].headers).toContain("Category");

  const committed = await post({ intent: "commit-all", token: token(mapped) });
  expect(committed.data).toMatchObject({ step: "done", summary: { create: 3 } });
  const stored = await resourcesOfDataset("Community places");
  expect(stored.map((row) => [row.name, row.kind])).toEqual([
    ["Sakura Salon", "salon"],
    ["ひまわり子ども食堂", "kodomo_shokudo"],
    ["みなと公民館", "kominkan"],
  ]);
  const times = await database.db
    .select({ rrule: schedules.rrule, startTime: schedules.startTime, endTime: schedules.endTime })
    .from(schedules)
    .where(eq(schedules.resourceId, stored[0].id));
  expect(times.map((t) => [t.rrule, t.startTime?.slice(0, 5), t.endTime?.slice(0, 5)])).toEqual([["FREQ=WEEKLY;BYDAY=MO,WE", "10:00", "12:00"]]);
});

test("the next upload with the same header uses the saved mapping and its source; a re-import changes nothing", async () => {
  const loaded = await outcome(() => loader(args(getRequest("/admin/import", admin.cookie))));
  expect((loaded.data.savedMappings as { name: string }[]).map((m) => m.name)).toContain("English community list");

  // No source typed: the saved mapping brought it along.
  const uploaded = await upload(await fileOf(ENGLISH));
  expect(uploaded.status, JSON.stringify(uploaded.data)).toBe(200);
  expect(uploaded.data.step).toBe("preview");
  expect(uploaded.data.message).toContain("English community list");
  expect(preview(uploaded)).toMatchObject({ create: 0, update: 0, unchanged: 3, rejected: [] });

  const committed = await post({ intent: "commit-all", token: token(uploaded) });
  expect(committed.data).toMatchObject({ step: "done", summary: { create: 0, update: 0, unchanged: 3 } });
  expect((await resourcesOfDataset("Community places")).length).toBe(3);
});

test("choosing the existing source updates the same entries; a saved mapping can be picked or the columns chosen again", async () => {
  const [source] = await database.db.select({ id: sources.id }).from(sources).where(eq(sources.dataset, "Community places"));
  const loaded = await outcome(() => loader(args(getRequest("/admin/import", admin.cookie))));
  expect((loaded.data.sources as { id: number; label: string }[]).find((s) => s.id === source.id)?.label).toBe("Community places（Example Community Association）");

  const edited = (await fs.readFile(ENGLISH, "utf8")).replace("054-626-1111", "054-626-9999");
  const uploaded = await upload({ name: "english-v2.csv", bytes: new TextEncoder().encode(edited) }, { sourceId: String(source.id) });
  expect(preview(uploaded)).toMatchObject({ create: 0, update: 1, unchanged: 2 });

  // 「列の対応を選び直す」 shows the mapping in use, and offers the saved mappings that fit.
  const remap = await post({ intent: "remap", token: token(uploaded) });
  const view = remap.data.mapping as { values: { columns: Record<string, string>; kindColumn: string }; offered: { id: number; name: string }[] };
  expect([remap.status, remap.data.step]).toEqual([200, "mapping"]);
  expect(view.values.columns).toMatchObject({ name: "Name", startTime: "Opens", weekdays: "Days" });
  expect(view.values.kindColumn).toBe("Category");
  expect(view.offered.map((m) => m.name)).toEqual(["English community list"]);

  const picked = await post({ intent: "use-mapping", token: token(uploaded), mappingId: String(view.offered[0].id) });
  expect(picked.status).toBe(200);
  expect(preview(picked)).toMatchObject({ create: 0, update: 1, unchanged: 2 });

  const cancelled = await post({ intent: "cancel", token: token(uploaded) });
  expect(cancelled.data.step).toBe("upload");
  expect((await post({ intent: "commit-all", token: token(uploaded) })).status).toBe(410);
  const [phone] = await database.db.select({ phone: resources.phone }).from(resources).where(eq(resources.name, "Sakura Salon"));
  expect(phone.phone).toBe("054-626-1111");
});

test("a broken row: all-or-nothing stores nothing (400), valid-rows-only stores the good rows", async () => {
  const source = { publisher: "Example Community Association", dataset: "Broken list", licence: "CC BY 4.0" };
  const uploaded = await upload(await fileOf(BROKEN), source);
  expect(uploaded.data.step).toBe("preview"); // the saved English mapping fits this header too
  const rejection = { row: 3, column: "Lat", reason: "緯度・経度が数値でないか、日本の範囲外です" };
  expect(preview(uploaded)).toMatchObject({ create: 2, rejected: [rejection] });

  const all = await post({ intent: "commit-all", token: token(uploaded) });
  expect(all.status).toBe(400);
  expect(all.data.message).toContain("何も保存していません");
  expect(await resourcesOfDataset("Broken list")).toEqual([]);
  const [{ n: sourceRows }] = await database.db.select({ n: count() }).from(sources).where(eq(sources.dataset, "Broken list"));
  expect(sourceRows).toBe(0);

  const valid = await post({ intent: "commit-valid", token: token(uploaded) });
  expect(valid.status).toBe(200);
  expect(valid.data).toMatchObject({ step: "done", summary: { create: 2, rejected: 1, validOnly: true } });
  expect((await resourcesOfDataset("Broken list")).map((row) => row.name)).toEqual(["Sakura Salon", "みなと公民館"]);
});

test("a CP932 (Shift_JIS) file is decoded as CP932", async () => {
  const bytes = iconv.encode(await fs.readFile(ENGLISH, "utf8"), "cp932");
  const uploaded = await upload({ name: "english-sjis.csv", bytes: new Uint8Array(bytes) }, { publisher: "テスト町", dataset: "SJIS list", licence: "CC BY 4.0" });
  expect(uploaded.data.step).toBe("preview");
  expect(preview(uploaded)).toMatchObject({ create: 3, rejected: [] });
  expect(preview(uploaded).createSample.map((row) => row.name)).toContain("ひまわり子ども食堂");
  await post({ intent: "commit-valid", token: token(uploaded) });
  expect((await resourcesOfDataset("SJIS list")).map((row) => row.name)).toContain("ひまわり子ども食堂");
});

test("a coordinator and a staff member get 403 from the page and from every step", async () => {
  for (const session of [coordinator, staff]) {
    const page = await outcome(() => loader(args(getRequest("/admin/import", session.cookie))));
    expect(page.status).toBe(403);
    expect((await upload(await fileOf(ENGLISH), ENGLISH_SOURCE, session)).status).toBe(403);
    expect((await post({ intent: "commit-all", token: "0".repeat(32) }, session)).status).toBe(403);
  }
});

test("bad files get a Japanese message and a 4xx; nothing is kept", async () => {
  const before = await fs.readdir(uploadDir).catch(() => [] as string[]);
  const cases: [string, UploadFile | null, number, string][] = [
    ["no file", null, 400, "CSV ファイルを選んでください"],
    ["empty file", { name: "empty.csv", bytes: new Uint8Array() }, 400, "空"],
    ["not a CSV", { name: "photo.png", bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]), type: "image/png" }, 400, "CSV ファイル（拡張子 .csv）を選んでください"],
    ["binary garbage", { name: "garbage.csv", bytes: new Uint8Array(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)) }, 400, "NUL 文字を含む"],
    ["bytes that are no text encoding", { name: "garbage2.csv", bytes: new Uint8Array(Array.from({ length: 4096 }, (_, i) => 0x80 + ((i * 31) % 128))) }, 400, "文字化け"],
    ["only a header", { name: "header-only.csv", bytes: new TextEncoder().encode("Name,Address\n") }, 400, "データの行がありません"],
    ["one column", { name: "words.csv", bytes: new TextEncoder().encode("hello\nworld\n") }, 400, "列が 1 つ"],
  ];
  for (const [label, file, status, message] of cases) {
    const result = await upload(file, ENGLISH_SOURCE);
    expect([label, result.status, result.data.step]).toEqual([label, status, "upload"]);
    expect(String(result.data.message), label).toContain(message);
  }
  // A standard file without any source credit is asked for one.
  const noSource = await upload(await fileOf(COMMUNITY_CENTRES));
  expect([noSource.status, noSource.data.step]).toEqual([400, "upload"]);
  expect(noSource.data.message).toContain("出典を指定してください");
  expect(await fs.readdir(uploadDir).catch(() => [] as string[])).toEqual(before);
});

test("a file over 20 MB is refused with 413", async () => {
  const big = new Uint8Array(20 * 1024 * 1024 + 10).fill(0x41);
  const result = await upload({ name: "big.csv", bytes: big }, ENGLISH_SOURCE);
  expect(result.status).toBe(413);
  expect(result.data.message).toContain("20 MB");
});

test("mapping problems: no name column, a column not in the file, a name already taken (then overwritten)", async () => {
  const header = "Title,Where,Type\nみんなの居場所,焼津市本町1-1,居場所\n";
  const uploaded = await upload({ name: "other.csv", bytes: new TextEncoder().encode(header) }, { publisher: "テスト町", dataset: "Other list", licence: "CC BY 4.0" });
  expect(uploaded.data.step).toBe("mapping");
  const t = token(uploaded);

  const noName = await post({ intent: "map", token: t, "column.address": "Where", kindColumn: "Type" });
  expect(noName.status).toBe(400);
  expect(noName.data.errors).toMatchObject({ "column.name": ["名称の列を選んでください（必須）"] });

  const missing = await post({ intent: "map", token: t, "column.name": "Title", "column.phone": "Telephone", kindColumn: "Type" });
  expect(missing.status).toBe(400);
  expect((missing.data.errors as Record<string, string[]>)["column.phone"][0]).toContain("「Telephone」はこのファイルの見出しにありません");

  const noKind = await post({ intent: "map", token: t, "column.name": "Title" });
  expect(noKind.status).toBe(400);
  expect(noKind.data.errors).toHaveProperty("kindColumn");

  const taken = await post({ intent: "map", token: t, "column.name": "Title", "column.address": "Where", kindColumn: "Type", saveAs: "English community list" });
  expect(taken.status).toBe(409);
  expect(taken.data.message).toContain("すでにあります");
  expect((taken.data.mapping as { nameTaken: boolean }).nameTaken).toBe(true);

  const overwritten = await post({ intent: "map", token: t, "column.name": "Title", "column.address": "Where", kindColumn: "Type", saveAs: "English community list", overwrite: "on" });
  expect(overwritten.status, JSON.stringify(overwritten.data)).toBe(200);
  expect(preview(overwritten)).toMatchObject({ create: 1, rejected: [] });
  const [row] = await database.db.select().from(importMappings).where(eq(importMappings.name, "English community list"));
  expect(row.headers).toEqual(["Title", "Where", "Type"]);

  // A fixed kind from the vocabulary instead of a column.
  const fixed = await post({ intent: "map", token: t, "column.name": "Title", kindValue: "ibasho" });
  expect(fixed.status).toBe(200);
  expect(preview(fixed).createSample[0]).toMatchObject({ name: "みんなの居場所" });
});

test("an unknown or expired token gets 410 and the upload step", async () => {
  const unknown = await post({ intent: "commit-all", token: "0123456789abcdef0123456789abcdef" });
  expect([unknown.status, unknown.data.step]).toEqual([410, "upload"]);
  const malformed = await post({ intent: "map", token: "../../etc/passwd" });
  expect(malformed.status).toBe(410);

  const uploaded = await upload(await fileOf(ENGLISH), { publisher: "テスト町", dataset: "Expiring list", licence: "CC BY 4.0" });
  const t = token(uploaded);
  const metaFile = path.join(uploadDir, `${t}.json`);
  const meta = JSON.parse(await fs.readFile(metaFile, "utf8")) as { createdAt: string };
  await fs.writeFile(metaFile, JSON.stringify({ ...meta, createdAt: new Date(Date.now() - 61 * 60 * 1000).toISOString() }));
  const expired = await post({ intent: "commit-all", token: t });
  expect([expired.status, expired.data.step]).toEqual([410, "upload"]);
  expect(expired.data.message).toContain("1時間");
  expect(await resourcesOfDataset("Expiring list")).toEqual([]);
  await expect(fs.stat(metaFile)).rejects.toThrow();

  // Another admin cannot use someone else's token.
  const other = await signIn(database.db, await makeUser(database.db, { role: "admin", totp: true }), { twoFactorVerified: true });
  const mine = await upload(await fileOf(ENGLISH), { publisher: "テスト町", dataset: "Mine", licence: "CC BY 4.0" });
  const theirs = await post({ intent: "commit-all", token: token(mine) }, other);
  expect(theirs.status).toBe(410);
});

test("saved mappings can be deleted; a forged form without the CSRF token is refused", async () => {
  const [row] = await database.db.select({ id: importMappings.id }).from(importMappings).where(eq(importMappings.name, "English community list"));
  const deleted = await post({ intent: "delete-mapping", mappingId: String(row.id) });
  expect([deleted.status, deleted.data.message]).toEqual([200, "対応表を削除しました。"]);
  expect(await database.db.select().from(importMappings).where(eq(importMappings.id, row.id))).toEqual([]);
  const again = await post({ intent: "delete-mapping", mappingId: String(row.id) });
  expect(again.status).toBe(404);

  const forged = await outcome(() => action(args(postForm("/admin/import", { intent: "cancel" }, { cookie: admin.cookie }))));
  expect(forged.status).toBe(403);

  // An upload posted from another site with the administrator's cookie and token is refused too.
  const request = uploadRequest(admin, await fileOf(ENGLISH), { publisher: "Evil", dataset: "Forged list", licence: "CC BY 4.0" });
  const crossSite = new Request(request, { headers: { ...Object.fromEntries(request.headers), Origin: "https://evil.example" } });
  const before = await fs.readdir(uploadDir);
  const refused = await outcome(() => action(args(crossSite)));
  expect(refused.status).toBe(403);
  expect(await fs.readdir(uploadDir)).toEqual(before);
});
