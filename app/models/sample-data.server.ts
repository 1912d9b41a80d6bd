// The fictional sample venues (db/sample-data/resources.json): salons, 居場所, 地域活動支援センター,
// B型 workshops with 手帳不要, employers hosting 職場体験, volunteer activities … in 焼津市, 下松市 and
// 練馬区, so matching has places the bundled open data lacks. Loaded under the source `sample`
// (labelled サンプル on public pages), idempotently, in one transaction with the search outbox.
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Database, DatabaseHandle } from "../../db/client.server";
import { resources, schedules, sources, type Resource, type Schedule } from "../../db/schema";
import { CONDITION_CODES, RESOURCE_KIND_CODES, TARGET_GROUP_CODES } from "../../db/vocabulary";
import sampleFile from "../../db/sample-data/resources.json";
import { enqueueSearchUpdates } from "../../search/outbox.server";
import { SAMPLE_SOURCE_KEY } from "../matching/vocabulary";

export { SAMPLE_SOURCE_KEY };

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const time = z.string().regex(/^\d{2}:\d{2}$/).nullable();

const sampleScheduleSchema = z.strictObject({
  rrule: z.string().regex(/^FREQ=/),
  startsOn: isoDate,
  startTime: time,
  endTime: time,
  note: z.string().optional(),
});

const sampleResourceSchema = z.strictObject({
  key: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  nameKana: z.string().min(1),
  kind: z.enum(RESOURCE_KIND_CODES),
  services: z.array(z.string()),
  description: z.string(),
  activities: z.array(z.string()),
  targetGroups: z.array(z.enum(TARGET_GROUP_CODES)),
  conditions: z.array(z.enum(CONDITION_CODES)),
  costKind: z.enum(["free", "amount", "actual", "unknown"]),
  costYen: z.number().int().min(0).nullable(),
  costNote: z.string().nullable(),
  capacity: z.number().int().positive().nullable(),
  prefecture: z.string(),
  city: z.string(),
  addressLine: z.string(),
  area: z.string(),
  latitude: z.number().min(20).max(46),
  longitude: z.number().min(122).max(154),
  operator: z.string(),
  hoursNote: z.string().nullable(),
  accessNote: z.string().nullable(),
  status: z.enum(["active", "paused", "closed"]),
  lastVerifiedOn: isoDate,
  schedules: z.array(sampleScheduleSchema),
});

const sampleFileSchema = z.strictObject({
  source: z.strictObject({
    key: z.literal(SAMPLE_SOURCE_KEY),
    publisher: z.string(),
    dataset: z.string(),
    licence: z.string(),
    licenceUrl: z.string().url(),
    attribution: z.string(),
  }),
  resources: z.array(sampleResourceSchema).min(1),
});

export type SampleResource = z.infer<typeof sampleResourceSchema>;

/** The sample file, validated (a broken edit of the JSON fails loudly here, not half-way through a load). */
export function readSampleResources() {
  return sampleFileSchema.parse(sampleFile);
}

export interface SampleLoadSummary {
  created: number;
  updated: number;
  unchanged: number;
}

/** The resource columns a sample entry sets (everything except its key and schedules). */
function resourceValues(entry: SampleResource) {
  const { key: _key, schedules: _schedules, ...fields } = entry;
  return { ...fields, postalCode: null, building: null, phone: null, email: null, url: null, reviewStatus: "published" };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => item === b[index]);
  }
  return (a ?? null) === (b ?? null);
}

function scheduleKey(schedule: { rrule: string; startsOn: string; startTime: string | null; endTime: string | null; note?: string | null }) {
  return JSON.stringify([schedule.rrule, String(schedule.startsOn).slice(0, 10), schedule.startTime ?? null, schedule.endTime ?? null, schedule.note ?? null]);
}

function changed(stored: Resource, storedSchedules: Schedule[], entry: SampleResource): boolean {
  const values = resourceValues(entry) as Record<string, unknown>;
  const fieldChanged = Object.keys(values).some((field) => {
    const before = (stored as Record<string, unknown>)[field];
    return field === "lastVerifiedOn" ? String(before ?? "").slice(0, 10) !== values[field] : !sameValue(before, values[field]);
  });
  const before = storedSchedules.map(scheduleKey).sort();
  const after = entry.schedules.map(scheduleKey).sort();
  return fieldChanged || before.length !== after.length || before.some((key, i) => key !== after[i]);
}

/**
 * Upserts the sample venues under the source `sample`: new entries are inserted, changed ones
 * updated (their schedules replaced), unchanged ones left alone; every change gets a search outbox
 * row in the same transaction. Running it twice changes nothing the second time.
 */
export async function loadSampleResources(target: Database | DatabaseHandle): Promise<SampleLoadSummary> {
  const db: Database = "location" in target && "close" in target ? target.db : (target as Database);
  const file = readSampleResources();
  return db.transaction(async (tx) => {
    const sourceValues = { ...file.source, fileName: "db/sample-data/resources.json" };
    const [storedSource] = await tx.select().from(sources).where(eq(sources.key, SAMPLE_SOURCE_KEY));
    let sourceId: number;
    if (storedSource) {
      sourceId = storedSource.id;
      await tx.update(sources).set(sourceValues).where(eq(sources.id, sourceId));
    } else {
      const [created] = await tx.insert(sources).values({ ...sourceValues, importedAt: new Date() }).returning({ id: sources.id });
      sourceId = created.id;
    }

    const stored = await tx.select().from(resources).where(eq(resources.sourceId, sourceId));
    const storedByKey = new Map(stored.map((resource) => [resource.sourceRowId ?? "", resource]));
    const storedSchedules = stored.length
      ? await tx.select({ schedule: schedules }).from(schedules).innerJoin(resources, eq(resources.id, schedules.resourceId)).where(eq(resources.sourceId, sourceId))
      : [];
    const schedulesByResource = new Map<number, Schedule[]>();
    for (const { schedule } of storedSchedules) {
      schedulesByResource.set(schedule.resourceId, [...(schedulesByResource.get(schedule.resourceId) ?? []), schedule]);
    }

    const summary: SampleLoadSummary = { created: 0, updated: 0, unchanged: 0 };
    const changedIds: number[] = [];
    const now = new Date();
    for (const entry of file.resources) {
      const existing = storedByKey.get(entry.key);
      let resourceId: number;
      if (!existing) {
        const [created] = await tx
          .insert(resources)
          .values({ ...resourceValues(entry), sourceId, sourceRowId: entry.key, publishedAt: now })
          .returning({ id: resources.id });
        resourceId = created.id;
        summary.created++;
      } else if (changed(existing, schedulesByResource.get(existing.id) ?? [], entry)) {
        resourceId = existing.id;
        await tx.update(resources).set({ ...resourceValues(entry), updatedAt: now }).where(eq(resources.id, resourceId));
        await tx.delete(schedules).where(eq(schedules.resourceId, resourceId));
        summary.updated++;
      } else {
        summary.unchanged++;
        continue;
      }
      if (entry.schedules.length > 0) {
        await tx.insert(schedules).values(
          entry.schedules.map((schedule) => ({
            resourceId,
            rrule: schedule.rrule,
            startsOn: schedule.startsOn,
            startTime: schedule.startTime,
            endTime: schedule.endTime,
            note: schedule.note ?? null,
          })),
        );
      }
      changedIds.push(resourceId);
    }
    await enqueueSearchUpdates(tx, changedIds, "upsert");
    if (changedIds.length > 0) await tx.update(sources).set({ importedAt: now }).where(eq(sources.id, sourceId));
    return summary;
  });
}
