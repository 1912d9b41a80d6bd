// Every column that holds personal free text or sensitive values, encrypted at the application
// level (app/utils/field-crypto.server.ts). The rotation script re-encrypts exactly these; a new
// encrypted column is added here, and tests/governance/key-rotation.test.ts checks each one.
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "../../db/client.server";
import { DataKeyError, decryptField, encryptField, keyIdOf, type DataKey } from "./field-crypto.server";

export interface EncryptedTable {
  table: string;
  columns: readonly string[];
}

export const ENCRYPTED_COLUMNS: readonly EncryptedTable[] = [
  { table: "people", columns: ["health_note", "disability_note", "certificate", "diagnosis"] },
  { table: "households", columns: ["note"] },
  { table: "household_members", columns: ["note"] },
  { table: "consent_events", columns: ["note"] },
  { table: "assessments", columns: ["free_text"] },
  { table: "placement_events", columns: ["note"] },
  { table: "unmet_needs", columns: ["note"] },
  { table: "follow_ups", columns: ["issues", "note"] },
  { table: "plans", columns: ["evaluation_sheet"] },
  { table: "plan_versions", columns: ["content"] },
  { table: "plan_events", columns: ["note"] },
  { table: "contact_attempts", columns: ["note"] },
  { table: "meetings", columns: ["minutes", "decisions"] },
  { table: "meeting_cases", columns: ["decision"] },
];

export interface RotationCount {
  table: string;
  column: string;
  /** Values re-encrypted with the current key (older key or plaintext before). */
  rotated: number;
  /** Of those, values that were plaintext. */
  wasPlaintext: number;
  /** Values already under the current key. */
  current: number;
}

function rowsOf(result: unknown): Record<string, unknown>[] {
  return Array.isArray(result) ? (result as Record<string, unknown>[]) : ((result as { rows?: Record<string, unknown>[] }).rows ?? []);
}

/**
 * Re-encrypts every registered column with the current key, in batches (one transaction per
 * batch, each row updated only if unchanged since it was read). A value that no configured key
 * opens stops the rotation with DataKeyError naming the table, column and row: nothing is
 * silently lost. `dryRun` counts without writing.
 */
export async function rotateEncryptedColumns(db: Executor, keys: DataKey[], options: { dryRun?: boolean; batchSize?: number; onProgress?: (count: RotationCount) => void } = {}): Promise<RotationCount[]> {
  const current = keys[0]!.id;
  const batchSize = options.batchSize ?? 500;
  const counts: RotationCount[] = [];
  for (const { table, columns } of ENCRYPTED_COLUMNS) {
    for (const column of columns) {
      const count: RotationCount = { table, column, rotated: 0, wasPlaintext: 0, current: 0 };
      const t = sql.identifier(table);
      const c = sql.identifier(column);
      const [{ n } = { n: 0 }] = rowsOf(await db.execute(sql`select count(*)::int as n from ${t} where ${c} like ${`enc:v1:${current}:%`}`)) as { n: number }[];
      count.current = Number(n);
      let lastId = 0;
      for (;;) {
        const stale: SQL = sql`${c} is not null and ${c} not like ${`enc:v1:${current}:%`} and id > ${lastId}`;
        const batch = rowsOf(await db.execute(sql`select id, ${c} as value from ${t} where ${stale} order by id limit ${batchSize}`)) as { id: number; value: string }[];
        if (batch.length === 0) break;
        const updates = batch.map((row) => {
          let plain: string | null;
          try {
            plain = decryptField(row.value, keys);
          } catch (error) {
            throw new DataKeyError(`${table}.${column} id=${row.id}: ${error instanceof Error ? error.message : String(error)}`);
          }
          return { id: row.id, old: row.value, next: encryptField(plain, keys)!, wasPlaintext: keyIdOf(row.value) === null };
        });
        if (!options.dryRun) {
          await db.transaction(async (tx) => {
            for (const u of updates) await tx.execute(sql`update ${t} set ${c} = ${u.next} where id = ${u.id} and ${c} = ${u.old}`);
          });
        }
        count.rotated += updates.length;
        count.wasPlaintext += updates.filter((u) => u.wasPlaintext).length;
        lastId = batch[batch.length - 1]!.id;
        options.onProgress?.(count);
      }
      counts.push(count);
    }
  }
  return counts;
}
