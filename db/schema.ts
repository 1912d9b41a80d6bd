// The directory's tables: sources of open data, resources (places and consultation bodies),
// their schedules as RFC 5545 RRULEs, and the outbox that carries writes to the search index.
import { sql } from "drizzle-orm";
import {
  bigserial,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/** Where imported rows came from, with the attribution their licence requires. */
export const sources = pgTable("sources", {
  id: serial("id").primaryKey(),
  /** Stable key used by the importer, e.g. `yaizu-yohairyosya`. */
  key: text("key").notNull().unique(),
  publisher: text("publisher").notNull(),
  dataset: text("dataset").notNull(),
  licence: text("licence").notNull(),
  licenceUrl: text("licence_url"),
  /** The credit line shown on every resource from this source (e.g. 出典：焼津市オープンデータ…). */
  attribution: text("attribution").notNull(),
  sourceUrl: text("source_url"),
  fileName: text("file_name"),
  importedAt: timestamp("imported_at", { withTimezone: true }),
});

export const resources = pgTable(
  "resources",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    /** ふりがな as given by the source (名称_カナ), katakana or hiragana. */
    nameKana: text("name_kana"),
    kind: text("kind").notNull(),
    /** Every service named by the source (区分 / 実施サービス), e.g. 就労継続支援B型, 生活介護. */
    services: text("services").array().notNull().default(sql`'{}'::text[]`),
    description: text("description"),
    activities: text("activities").array().notNull().default(sql`'{}'::text[]`),
    targetGroups: text("target_groups").array().notNull().default(sql`'{}'::text[]`),
    conditions: text("conditions").array().notNull().default(sql`'{}'::text[]`),
    costKind: text("cost_kind").notNull().default("unknown"),
    costYen: integer("cost_yen"),
    costNote: text("cost_note"),
    capacity: integer("capacity"),
    postalCode: text("postal_code"),
    prefecture: text("prefecture"),
    city: text("city"),
    /** 町字 and the rest of the street address. */
    addressLine: text("address_line"),
    building: text("building"),
    latitude: doublePrecision("latitude"),
    longitude: doublePrecision("longitude"),
    /** 圏域・地区; for imported open data the municipality (e.g. 焼津市, 練馬区). */
    area: text("area"),
    operator: text("operator"),
    phone: text("phone"),
    email: text("email"),
    url: text("url"),
    /** Opening hours or schedule as free text when no RRULE could be derived (利用可能日時特記事項). */
    hoursNote: text("hours_note"),
    accessNote: text("access_note"),
    status: text("status").notNull().default("active"),
    lastVerifiedOn: date("last_verified_on"),
    sourceId: integer("source_id").references(() => sources.id),
    sourceRowId: text("source_row_id"),
    /** Per-row credit where one source merges several publishers (Tokyo 子ども食堂: _自治体名). */
    sourceNote: text("source_note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("resources_source_row_uq").on(t.sourceId, t.sourceRowId),
    index("resources_kind_idx").on(t.kind),
    index("resources_area_idx").on(t.area),
  ],
);

/**
 * One recurring session of a resource. `rrule` is an RFC 5545 RRULE without DTSTART
 * (e.g. `FREQ=MONTHLY;BYDAY=2TU,4TU`); `startsOn` anchors it. Times are local (Asia/Tokyo).
 */
export const schedules = pgTable(
  "schedules",
  {
    id: serial("id").primaryKey(),
    resourceId: integer("resource_id")
      .notNull()
      .references(() => resources.id, { onDelete: "cascade" }),
    rrule: text("rrule").notNull(),
    startsOn: date("starts_on").notNull(),
    startTime: text("start_time"),
    endTime: text("end_time"),
    /** Dates (YYYY-MM-DD) on which the session does not take place. */
    exceptionDates: text("exception_dates").array().notNull().default(sql`'{}'::text[]`),
    note: text("note"),
  },
  (t) => [index("schedules_resource_idx").on(t.resourceId)],
);

/**
 * Search indexing outbox: written in the same transaction as every resource change and applied
 * to the search engine in id order by the relay, so an index outage loses nothing.
 */
export const searchOutbox = pgTable(
  "search_outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    resourceId: integer("resource_id").notNull(),
    op: text("op").notNull(), // 'upsert' | 'delete'
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    appliedAt: timestamp("applied_at", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    payload: jsonb("payload"),
  },
  (t) => [index("search_outbox_pending_idx").on(t.id).where(sql`applied_at is null`)],
);

export type Source = typeof sources.$inferSelect;
export type Resource = typeof resources.$inferSelect;
export type NewResource = typeof resources.$inferInsert;
export type Schedule = typeof schedules.$inferSelect;
export type NewSchedule = typeof schedules.$inferInsert;
