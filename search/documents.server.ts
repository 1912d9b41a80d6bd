// Builds search documents from the directory tables: one document per resource with its
// schedules folded into weekday, time-of-day and cost facets. Reads resources and schedules only;
// nothing about people is ever loaded here, so nothing about people can reach an index.
import { and, asc, eq, inArray } from "drizzle-orm";
import * as rruleModule from "rrule";
import type { Database } from "../db/client.server";
import { resources, schedules, type Resource, type Schedule } from "../db/schema";
import { kindLabel, WEEKDAY_CODES } from "../db/vocabulary";
import { readingsOf } from "./reading.server";
import type { ScheduleSummary, SearchDocument } from "./types";

// rrule ships a UMD main (Node sees a CommonJS module without named exports) and an ESM module
// (bundlers see named exports only): accept both shapes, as app/utils/schedule.ts does.
type RRuleModule = typeof rruleModule;
const { RRule }: RRuleModule =
  "RRule" in rruleModule && rruleModule.RRule ? rruleModule : (rruleModule as unknown as { default: RRuleModule }).default;

/** Resources per query when loading by id (keeps the parameter list well below driver limits). */
const LOAD_CHUNK = 1000;

export interface LoadOptions {
  /** Generate a reading with kuromoji where the data has none (default true). */
  readings?: boolean;
}

/**
 * Loads documents for the given resource ids (all resources when omitted), in id order. A
 * resource without 名称_カナ gets a generated reading (search/reading.server.ts), so kana queries
 * find it too.
 */
export async function loadSearchDocuments(db: Database, resourceIds?: number[], options: LoadOptions = {}): Promise<SearchDocument[]> {
  const documents = await loadDocumentRows(db, resourceIds);
  if (options.readings !== false) await fillReadings(documents);
  return documents;
}

/** Gives documents without a reading the generated one (katakana); "" stays when none can be made. */
export async function fillReadings(documents: SearchDocument[]): Promise<void> {
  const unread = documents.filter((document) => document.reading.trim() === "" && document.name.trim() !== "");
  if (unread.length === 0) return;
  const readings = await readingsOf(unread.map((document) => document.name));
  unread.forEach((document, i) => {
    document.reading = readings[i];
  });
}

async function loadDocumentRows(db: Database, resourceIds?: number[]): Promise<SearchDocument[]> {
  if (resourceIds && resourceIds.length === 0) return [];
  if (resourceIds && resourceIds.length > LOAD_CHUNK) {
    const documents: SearchDocument[] = [];
    for (let i = 0; i < resourceIds.length; i += LOAD_CHUNK) {
      documents.push(...(await loadDocumentRows(db, resourceIds.slice(i, i + LOAD_CHUNK))));
    }
    return documents;
  }
  // Only published entries are searchable: drafts, submitted and returned ones are left out, so
  // the relay removes an entry from the index when it is no longer published.
  const published = eq(resources.reviewStatus, "published");
  const resourceRows = resourceIds
    ? await db.select().from(resources).where(and(inArray(resources.id, resourceIds), published)).orderBy(asc(resources.id))
    : await db.select().from(resources).where(published).orderBy(asc(resources.id));
  if (resourceRows.length === 0) return [];
  const scheduleRows = resourceIds
    ? await db.select().from(schedules).where(inArray(schedules.resourceId, resourceIds)).orderBy(asc(schedules.id))
    : await db.select().from(schedules).orderBy(asc(schedules.id));

  const byResource = new Map<number, Schedule[]>();
  for (const schedule of scheduleRows) {
    const list = byResource.get(schedule.resourceId);
    if (list) list.push(schedule);
    else byResource.set(schedule.resourceId, [schedule]);
  }
  return resourceRows.map((resource) => toSearchDocument(resource, byResource.get(resource.id) ?? []));
}

/** The search document of one resource: a pure mapping, no I/O. */
export function toSearchDocument(resource: Resource, resourceSchedules: Schedule[]): SearchDocument {
  const weekdays = new Set<string>();
  const timeBands = new Set<string>();
  for (const schedule of resourceSchedules) {
    for (const day of scheduleWeekdays(schedule.rrule, schedule.startsOn)) weekdays.add(day);
    for (const band of timeBandsOf(schedule.startTime, schedule.endTime)) timeBands.add(band);
  }
  const hasLocation = Number.isFinite(resource.latitude) && Number.isFinite(resource.longitude);
  return {
    id: String(resource.id),
    name: resource.name,
    reading: resource.nameKana ?? "",
    kind: resource.kind,
    kindLabel: kindLabel(resource.kind),
    services: resource.services ?? [],
    activities: resource.activities ?? [],
    description: resource.description ?? "",
    targetGroups: resource.targetGroups ?? [],
    conditions: resource.conditions ?? [],
    area: resource.area ?? null,
    address: addressOf(resource),
    weekdays: WEEKDAY_CODES.filter((code) => weekdays.has(code)),
    timeBands: TIME_BANDS.filter((band) => timeBands.has(band)),
    costBand: costBandOf(resource.costKind, resource.costYen),
    status: resource.status,
    location: hasLocation ? { lat: resource.latitude!, lon: resource.longitude! } : null,
    schedules: resourceSchedules.map(scheduleSummary),
    hoursNote: resource.hoursNote ?? null,
    updatedAt: toEpochMs(resource.updatedAt),
  };
}

function addressOf(resource: Pick<Resource, "prefecture" | "city" | "addressLine" | "building">): string {
  const street = [resource.prefecture, resource.city, resource.addressLine].filter(Boolean).join("");
  return [street, resource.building].filter(Boolean).join(" ");
}

function scheduleSummary(schedule: Schedule): ScheduleSummary {
  return {
    rrule: schedule.rrule,
    startsOn: String(schedule.startsOn),
    startTime: schedule.startTime ?? null,
    endTime: schedule.endTime ?? null,
    exceptionDates: schedule.exceptionDates ?? [],
  };
}

function toEpochMs(value: Date | string | null | undefined): number {
  if (value == null) return 0;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(ms) ? ms : 0;
}

/**
 * Weekday codes (MO..SU) on which a rule has sessions: its BYDAY days (2TU counts as TU);
 * every day for FREQ=DAILY; the anchor's weekday for a plain weekly rule; for other rules without
 * BYDAY (e.g. monthly on the 15th) the weekdays of its first occurrences. A rule that does not
 * parse contributes nothing rather than failing the whole document.
 */
export function scheduleWeekdays(rrule: string, startsOn: string | null | undefined): string[] {
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(rrule.replace(/^RRULE:/i, ""));
  } catch {
    return [];
  }
  const byweekday = options.byweekday == null ? [] : Array.isArray(options.byweekday) ? options.byweekday : [options.byweekday];
  const days = new Set<string>();
  for (const day of byweekday) {
    // rrule gives Weekday objects (with .weekday, 0 = Monday) or plain numbers; junk gives undefined.
    const index = typeof day === "number" ? day : typeof day === "object" && day ? day.weekday : undefined;
    if (index !== undefined && index >= 0 && index <= 6) days.add(WEEKDAY_CODES[index]);
  }
  if (days.size > 0) return WEEKDAY_CODES.filter((code) => days.has(code));
  if (options.freq === RRule.DAILY) return [...WEEKDAY_CODES];

  const anchor = startsOn ? new Date(`${String(startsOn).slice(0, 10)}T00:00:00Z`) : null;
  if (!anchor || Number.isNaN(anchor.getTime())) return [];
  if (options.freq === RRule.WEEKLY) return [WEEKDAY_CODES[(anchor.getUTCDay() + 6) % 7]];
  try {
    const rule = new RRule({ ...options, dtstart: anchor, count: Math.min(options.count ?? 12, 12), until: null });
    for (const date of rule.all()) days.add(WEEKDAY_CODES[(date.getUTCDay() + 6) % 7]);
  } catch {
    return [];
  }
  return WEEKDAY_CODES.filter((code) => days.has(code));
}

export const TIME_BANDS = ["morning", "afternoon", "evening"] as const;
const NOON = 12 * 60;
const FIVE_PM = 17 * 60;

function minutesOf(time: string | null | undefined): number | null {
  const match = time ? /^(\d{1,2}):(\d{2})/.exec(time) : null;
  if (!match) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes >= 0 && minutes <= 24 * 60 ? minutes : null;
}

/**
 * Bands a session overlaps: morning before 12:00, afternoon 12:00–17:00, evening from 17:00.
 * 10:00–12:00 is morning only (the end is exclusive); 10:00–15:00 is morning and afternoon.
 * Without an end time the session is taken to be the moment it starts.
 */
export function timeBandsOf(startTime: string | null | undefined, endTime: string | null | undefined): string[] {
  const start = minutesOf(startTime);
  if (start === null) return [];
  let end = minutesOf(endTime);
  if (end === null || end === start) end = start + 1;
  else if (end < start) end = 24 * 60; // past midnight: counts up to midnight
  const bands: string[] = [];
  if (start < NOON) bands.push("morning");
  if (start < FIVE_PM && end > NOON) bands.push("afternoon");
  if (end > FIVE_PM) bands.push("evening");
  return bands;
}

/**
 * Cost band for the 費用 facet: free; under500 (a token fee, ワンコイン); paid; unknown.
 * 実費 (actual cost) with an amount is banded by the amount; without one it counts as paid.
 */
export function costBandOf(costKind: string, costYen: number | null | undefined): "free" | "under500" | "paid" | "unknown" {
  if (costKind === "free") return "free";
  const yen = typeof costYen === "number" && Number.isFinite(costYen) ? costYen : null;
  if (costKind === "amount" || costKind === "actual") {
    if (yen === null) return "paid";
    if (yen <= 0) return "free";
    return yen < 500 ? "under500" : "paid";
  }
  return "unknown";
}
