// Key rotation: every registered column exists; rotation re-encrypts old-key and plaintext values
// with the current key (checked with raw SQL), keeps the plaintext the app reads, and a value no
// configured key opens fails loudly.
import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { followUps, meetings, people } from "../../db/schema";
import { ENCRYPTED_COLUMNS, rotateEncryptedColumns } from "../../app/utils/encrypted-columns.server";
import { DataKeyError, decryptField, encryptField, parseDataKeys } from "../../app/utils/field-crypto.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle?.cleanup();
});

const rows = (result: unknown) => (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, string>[];
const k1 = `k1:${crypto.randomBytes(32).toString("base64")}`;
const k2 = `k2:${crypto.randomBytes(32).toString("base64")}`;

describe("key rotation", () => {
  test("every registered encrypted column exists as a text column", async () => {
    for (const { table, columns } of ENCRYPTED_COLUMNS) {
      for (const column of columns) {
        const found = rows(await handle.db.execute(sql`select data_type from information_schema.columns where table_name = ${table} and column_name = ${column}`));
        expect(found, `${table}.${column}`).toEqual([{ data_type: "text" }]);
      }
    }
  });

  test("old-key and plaintext values move to the current key; the app reads the same text", async () => {
    const old = parseDataKeys(k1);
    const [person] = await handle.db
      .insert(people)
      .values({ caseNumber: "2026-0100", name: "テスト", healthNote: "通院中（平文で保存されていた値）", disabilityNote: encryptField("聴覚", old) })
      .returning({ id: people.id });
    await handle.db.insert(followUps).values({ personId: person!.id, side: "person", dueOn: "2026-12-01", note: encryptField("訪問メモ", old) });
    await handle.db.insert(meetings).values({ kind: "support", heldOn: "2026-12-03", title: "支援会議", minutes: encryptField("議事録", old) });

    const rotatedKeys = parseDataKeys(`${k2},${k1}`);
    const dry = await rotateEncryptedColumns(handle.db, rotatedKeys, { dryRun: true });
    expect(dry.reduce((s, c) => s + c.rotated, 0)).toBe(4);
    expect(rows(await handle.db.execute(sql`select health_note from people`))[0]!.health_note).toBe("通院中（平文で保存されていた値）");

    const counts = await rotateEncryptedColumns(handle.db, rotatedKeys);
    expect(counts.find((c) => c.table === "people" && c.column === "health_note")).toMatchObject({ rotated: 1, wasPlaintext: 1 });
    const [p] = rows(await handle.db.execute(sql`select health_note, disability_note from people`));
    const [f] = rows(await handle.db.execute(sql`select note from follow_ups`));
    const [m] = rows(await handle.db.execute(sql`select minutes from meetings`));
    for (const value of [p!.health_note, p!.disability_note, f!.note, m!.minutes]) expect(value!.startsWith("enc:v1:k2:")).toBe(true);
    expect(p!.health_note).not.toContain("通院");
    const onlyNew = parseDataKeys(k2);
    expect(decryptField(p!.health_note, onlyNew)).toBe("通院中（平文で保存されていた値）");
    expect(decryptField(m!.minutes, onlyNew)).toBe("議事録");
    // A second run has nothing left to do.
    expect((await rotateEncryptedColumns(handle.db, rotatedKeys)).reduce((s, c) => s + c.rotated, 0)).toBe(0);
  });

  test("a value no configured key opens stops the rotation and names the row", async () => {
    const stranger = parseDataKeys(`k9:${crypto.randomBytes(32).toString("base64")}`);
    await handle.db.insert(meetings).values({ kind: "support", heldOn: "2026-12-10", title: "支援会議", minutes: encryptField("別の鍵", stranger) });
    await expect(rotateEncryptedColumns(handle.db, parseDataKeys(k2))).rejects.toThrow(DataKeyError);
    await expect(rotateEncryptedColumns(handle.db, parseDataKeys(k2))).rejects.toThrow(/meetings\.minutes id=\d+/);
  });
});
