// The directory's tables: sources of open data, resources (places and consultation bodies),
// their schedules as RFC 5545 RRULEs, and the outbox that carries writes to the search index.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
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
    /**
     * 'draft' | 'submitted' | 'published' | 'returned' (app/utils/resource-form.ts). Only
     * published entries reach public pages and the search index; imported rows are published.
     */
    reviewStatus: text("review_status").notNull().default("published"),
    /** Why an admin returned the entry to its coordinator (kept until the next submit). */
    returnReason: text("return_reason"),
    /** The coordinator who registered it; null for imported rows. */
    createdBy: integer("created_by"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("resources_source_row_uq").on(t.sourceId, t.sourceRowId),
    index("resources_review_status_idx").on(t.reviewStatus),
    index("resources_created_by_idx").on(t.createdBy),
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
    /**
     * 休止 period as entered by a coordinator (inclusive). The sessions inside it are also written
     * into `exceptionDates`, so every reader of the schedule skips them without knowing this.
     */
    pausedFrom: date("paused_from"),
    pausedUntil: date("paused_until"),
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

// ---------------------------------------------------------------------------------------------
// Accounts, sessions and the audit log (docs/decisions/004-accounts-and-audit.md).

/** Where a user works: 市役所の課, 社会福祉協議会, 委託先 NPO … */
export const organisations = pgTable("organisations", {
  id: serial("id").primaryKey(),
  name: text("name").notNull().unique(),
  /** 'municipality' | 'council' (社協) | 'npo' | 'other' (see app/utils/roles.ts). */
  kind: text("kind").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Staff accounts. There is no open sign-up: an admin invites, the invite link sets the password. */
export const users = pgTable(
  "users",
  {
    id: serial("id").primaryKey(),
    /** Normalised (trimmed, lower-case); the login name. */
    email: text("email").notNull().unique(),
    displayName: text("display_name").notNull(),
    /** 'coordinator' | 'staff' | 'admin'; permissions follow from it (app/utils/permissions.ts). */
    role: text("role").notNull(),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id),
    /** 'invited' (no password yet) | 'active' | 'disabled'. */
    status: text("status").notNull().default("invited"),
    /** argon2id PHC string; null until the invite is accepted. */
    passwordHash: text("password_hash"),
    passwordChangedAt: timestamp("password_changed_at", { withTimezone: true }),
    /** TOTP secret, AES-256-GCM encrypted with a key derived from SESSION_SECRET. */
    totpSecret: text("totp_secret"),
    /** Secret shown during enrolment, kept until the first code confirms it. */
    totpPendingSecret: text("totp_pending_secret"),
    totpEnabledAt: timestamp("totp_enabled_at", { withTimezone: true }),
    /** Last accepted TOTP time step: a code is never accepted twice. */
    totpLastStep: integer("totp_last_step"),
    lastLoginAt: timestamp("last_login_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("users_organisation_idx").on(t.organisationId)],
);

/** Server-side sessions. The cookie holds a random 256-bit token; only its SHA-256 is stored. */
export const sessions = pgTable(
  "sessions",
  {
    id: serial("id").primaryKey(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
    /** Absolute end, whatever the activity. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    /** Set when this session passed TOTP (or a recovery code). */
    twoFactorVerifiedAt: timestamp("two_factor_verified_at", { withTimezone: true }),
    /** Browser and OS only (e.g. "Chrome / Windows"), to recognise the session on the list. */
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Invite and password-reset tokens: single use, expiring, stored as SHA-256 only. */
export const userTokens = pgTable(
  "user_tokens",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** 'invite' | 'reset' */
    purpose: text("purpose").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("user_tokens_user_idx").on(t.userId)],
);

/** TOTP recovery codes (SHA-256 of 80-bit codes), each usable once. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("recovery_codes_user_code_uq").on(t.userId, t.codeHash)],
);

/**
 * Attempts counted by the rate limiter, shared by every app process. `key` is an HMAC of the
 * account or IP (never the address itself), e.g. `login:account:3f2a…`.
 */
export const rateLimitEvents = pgTable(
  "rate_limit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    key: text("key").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [index("rate_limit_events_key_at_idx").on(t.key, t.at)],
);

/**
 * Append-only audit log: security events and every read/write of sensitive records. Who, role,
 * what, which record, why, when, request id, IP hash; never the sensitive values themselves.
 * `seq` has no gaps (assigned under an advisory lock) and `hash` = sha256(prev_hash + row), so a
 * deleted or edited row shows (scripts/verify-audit.ts). UPDATE/DELETE are refused by a trigger
 * and, for the app role, by grants (migration 0002).
 */
export const auditLog = pgTable(
  "audit_log",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    actorUserId: integer("actor_user_id"),
    actorRole: text("actor_role"),
    action: text("action").notNull(),
    /** 'success' | 'failure' | 'denied' */
    outcome: text("outcome").notNull(),
    recordType: text("record_type"),
    recordId: text("record_id"),
    purpose: text("purpose"),
    requestId: text("request_id"),
    ipHash: text("ip_hash"),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_actor_idx").on(t.actorUserId),
    index("audit_log_action_idx").on(t.action),
    index("audit_log_record_idx").on(t.recordType, t.recordId),
  ],
);

export type Organisation = typeof organisations.$inferSelect;
export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Registration and review of resources by coordinators (issue 5).

/**
 * An edit to a published resource, waiting for an admin. The public entry stays as it is until
 * the revision is approved. `fields` holds the proposed resource columns, `schedules` the
 * proposed schedule rows (both as validated by app/utils/resource-form.ts).
 */
export const resourceRevisions = pgTable(
  "resource_revisions",
  {
    id: serial("id").primaryKey(),
    resourceId: integer("resource_id")
      .notNull()
      .references(() => resources.id, { onDelete: "cascade" }),
    fields: jsonb("fields").notNull(),
    schedules: jsonb("schedules").notNull(),
    authorId: integer("author_id").references(() => users.id, { onDelete: "set null" }),
    /** 'pending' | 'approved' | 'returned' */
    status: text("status").notNull().default("pending"),
    returnReason: text("return_reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decidedBy: integer("decided_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("resource_revisions_resource_idx").on(t.resourceId), index("resource_revisions_status_idx").on(t.status)],
);

/** Every change to a resource, one row per field: who, when, before, after. */
export const resourceHistory = pgTable(
  "resource_history",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    resourceId: integer("resource_id")
      .notNull()
      .references(() => resources.id, { onDelete: "cascade" }),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    field: text("field").notNull(),
    before: text("before"),
    after: text("after"),
  },
  (t) => [index("resource_history_resource_idx").on(t.resourceId, t.at)],
);

/** 「情報の修正を報告」 from residents: no login; the contact is optional and never indexed. */
export const correctionReports = pgTable(
  "correction_reports",
  {
    id: serial("id").primaryKey(),
    resourceId: integer("resource_id")
      .notNull()
      .references(() => resources.id, { onDelete: "cascade" }),
    message: text("message").notNull(),
    contact: text("contact"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** 'open' | 'closed' */
    status: text("status").notNull().default("open"),
    handledBy: integer("handled_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("correction_reports_status_idx").on(t.status, t.createdAt)],
);

export type ResourceRevision = typeof resourceRevisions.$inferSelect;
export type ResourceHistoryRow = typeof resourceHistory.$inferSelect;
export type CorrectionReport = typeof correctionReports.$inferSelect;

/**
 * A column mapping saved by an admin on the upload page (/admin/import), so the next file of the
 * same layout imports without mapping again. `mapping` has the shape of the CLI's --mapping file
 * (app/import/column-mapping.ts); `headers` is the header row it was made for (to offer it again).
 */
export const importMappings = pgTable("import_mappings", {
  id: serial("id").primaryKey(),
  name: text("name").notNull().unique(),
  mapping: jsonb("mapping").notNull(),
  headers: text("headers").array().notNull().default(sql`'{}'::text[]`),
  createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type ImportMapping = typeof importMappings.$inferSelect;

// ---------------------------------------------------------------------------------------------
// People receiving support and participation-support matching (issue 6). Staff-only: every read
// and write goes through app/people/access.server.ts, which checks assignment and consent and
// writes the audit row. Nothing here is ever indexed or shown on a public page.

/** 世帯. Members who do not receive support themselves are kept in `householdMembers`. */
export const households = pgTable("households", {
  id: serial("id").primaryKey(),
  note: text("note"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** 本人. `caseNumber` (e.g. 2026-0007) is what URLs, meeting lists and logs use; never the name. */
export const people = pgTable(
  "people",
  {
    id: serial("id").primaryKey(),
    caseNumber: text("case_number").notNull().unique(),
    name: text("name").notNull(),
    nameKana: text("name_kana"),
    birthYear: integer("birth_year"),
    /** 住所 or only the area when the person gave no address. */
    address: text("address"),
    area: text("area"),
    /** Where matching measures distance from (an approximate point: home or the nearest station). */
    latitude: doublePrecision("latitude"),
    longitude: doublePrecision("longitude"),
    phone: text("phone"),
    email: text("email"),
    householdId: integer("household_id").references(() => households.id, { onDelete: "set null" }),
    /** The consultation body (相談支援機関) that referred the person, as written by staff. */
    referredBy: text("referred_by"),
    /** Sensitive fields: saved only once a consent event is recorded (app/people/consent.ts). */
    healthNote: text("health_note"),
    disabilityNote: text("disability_note"),
    /** 'none' | 'physical' (身体) | 'intellectual' (療育) | 'mental' (精神) | 'unknown' */
    certificate: text("certificate"),
    diagnosis: text("diagnosis"),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("people_household_idx").on(t.householdId)],
);

/** Staff assigned to a person (担当). Staff see only people they are assigned to. */
export const personAssignments = pgTable(
  "person_assignments",
  {
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    assignedAt: timestamp("assigned_at", { withTimezone: true }).notNull().defaultNow(),
    assignedBy: integer("assigned_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [uniqueIndex("person_assignments_uq").on(t.personId, t.userId), index("person_assignments_user_idx").on(t.userId)],
);

/** 世帯員 who are not themselves receiving support (e.g. the 80-year-old parent in an 8050 household). */
export const householdMembers = pgTable(
  "household_members",
  {
    id: serial("id").primaryKey(),
    householdId: integer("household_id")
      .notNull()
      .references(() => households.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    relation: text("relation"),
    birthYear: integer("birth_year"),
    note: text("note"),
  },
  (t) => [index("household_members_household_idx").on(t.householdId)],
);

/**
 * 同意 recorded at intake and whenever it changes; the latest row (by id) is the person's consent.
 * `state`: 'agree' (同意) | 'disagree' (不同意) | 'unknown' (不明).
 */
export const consentEvents = pgTable(
  "consent_events",
  {
    id: serial("id").primaryKey(),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    state: text("state").notNull(),
    /** What the person agreed to share, and with whom (e.g. 関係機関との情報共有・重層的支援会議). */
    scope: text("scope"),
    recordedOn: date("recorded_on").notNull(),
    recordedBy: integer("recorded_by").references(() => users.id, { onDelete: "set null" }),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("consent_events_person_idx").on(t.personId, t.id)],
);

/** アセスメント: each save is a new version; `data` is validated by app/matching/needs.ts. */
export const assessments = pgTable(
  "assessments",
  {
    id: serial("id").primaryKey(),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    assessedOn: date("assessed_on").notNull(),
    data: jsonb("data").notNull(),
    freeText: text("free_text"),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("assessments_person_version_uq").on(t.personId, t.version)],
);

/**
 * つなぎ: a person connected to a resource. `status`: proposed 提案 → visit 見学 → trial 体験 →
 * active 参加中 → settled 定着, or suspended 中断 / ended 終了 (app/people/placement.ts).
 */
export const placements = pgTable(
  "placements",
  {
    id: serial("id").primaryKey(),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    resourceId: integer("resource_id")
      .notNull()
      .references(() => resources.id),
    status: text("status").notNull().default("proposed"),
    /** Ladder step 1–5 the suggestion was on (app/matching/ladder.ts). */
    step: integer("step"),
    /** The suggestion's reasons when it was picked, so the record explains itself later. */
    reasons: text("reasons").array().notNull().default(sql`'{}'::text[]`),
    /** 受け入れ先担当者 (name and contact at the host). */
    hostContact: text("host_contact"),
    /** 移行促進費 (Komatsu): meals, work clothes … */
    costSupport: boolean("cost_support").notNull().default(false),
    costSupportYen: integer("cost_support_yen"),
    costSupportNote: text("cost_support_note"),
    /** Follow-up offsets edited for this placement (default: app/followup/schedule.ts DEFAULT_OFFSETS). */
    followUpOffsets: jsonb("follow_up_offsets"),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("placements_person_idx").on(t.personId), index("placements_resource_idx").on(t.resourceId)],
);

/** Each dated lifecycle transition of a placement, with who made it and a note. */
export const placementEvents = pgTable(
  "placement_events",
  {
    id: serial("id").primaryKey(),
    placementId: integer("placement_id")
      .notNull()
      .references(() => placements.id, { onDelete: "cascade" }),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    on: date("on").notNull(),
    by: integer("by").references(() => users.id, { onDelete: "set null" }),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("placement_events_placement_idx").on(t.placementId, t.id)],
);

/**
 * 不足している社会資源: recorded when no suggestion fits. The structured attributes (kinds, wants,
 * target groups, area, weekdays) are what the aggregate shows; `personId` only routes the
 * notification to the assigned staff and never leaves the staff side.
 */
export const unmetNeeds = pgTable(
  "unmet_needs",
  {
    id: serial("id").primaryKey(),
    personId: integer("person_id").references(() => people.id, { onDelete: "set null" }),
    assessmentId: integer("assessment_id").references(() => assessments.id, { onDelete: "set null" }),
    kinds: text("kinds").array().notNull().default(sql`'{}'::text[]`),
    wants: text("wants").array().notNull().default(sql`'{}'::text[]`),
    interests: text("interests").array().notNull().default(sql`'{}'::text[]`),
    targetGroups: text("target_groups").array().notNull().default(sql`'{}'::text[]`),
    weekdays: text("weekdays").array().notNull().default(sql`'{}'::text[]`),
    area: text("area"),
    /** The needs as given to the engine, to re-run matching when a resource is published. */
    needs: jsonb("needs").notNull(),
    note: text("note"),
    /** 'waiting' | 'matched' (a new resource fits; staff notified) | 'closed' */
    status: text("status").notNull().default("waiting"),
    matchedResourceId: integer("matched_resource_id").references(() => resources.id, { onDelete: "set null" }),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("unmet_needs_status_idx").on(t.status)],
);

/** In-portal notifications for staff (e.g. a new venue matching a waiting unmet need). */
export const notifications = pgTable(
  "notifications",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    /** Shown in the list; case number and venue name only, never a person's name. */
    message: text("message").notNull(),
    link: text("link"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.readAt)],
);

export type Person = typeof people.$inferSelect;
export type ConsentEvent = typeof consentEvents.$inferSelect;
export type Assessment = typeof assessments.$inferSelect;
export type Placement = typeof placements.$inferSelect;
export type PlacementEvent = typeof placementEvents.$inferSelect;
export type UnmetNeed = typeof unmetNeeds.$inferSelect;
export type Notification = typeof notifications.$inferSelect;

// ---------------------------------------------------------------------------------------------
// 定着支援, plans, meetings and consent governance (issue 7). Free text here is stored encrypted
// (app/utils/field-crypto.server.ts); the columns marked "encrypted" hold `enc:v1:…` values.

/**
 * A planned or recorded contact of 定着支援: two-sided (`side` person | host), generated when a
 * placement reaches 見学/体験/参加中 (app/followup/schedule.ts) and recorded when done. Phase
 * 'post_termination' rows are the light contacts after 終結.
 */
export const followUps = pgTable(
  "follow_ups",
  {
    id: serial("id").primaryKey(),
    placementId: integer("placement_id").references(() => placements.id, { onDelete: "cascade" }),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    /** 'person' | 'host' */
    side: text("side").notNull(),
    /** 'placement' | 'post_termination' */
    phase: text("phase").notNull().default("placement"),
    dueOn: date("due_on").notNull(),
    /** 'planned' | 'done' | 'cancelled' */
    status: text("status").notNull().default("planned"),
    doneOn: date("done_on"),
    /** 訪問 visit | 電話 phone | 同行 accompany | メール/チャット message | 面談 interview */
    contactKind: text("contact_kind"),
    withWhom: text("with_whom"),
    /** つながり評価: {attendance, relationships, feeling, hostView} each 1–4. */
    evaluation: jsonb("evaluation"),
    /** Issues raised (encrypted). */
    issues: text("issues"),
    /** Note (encrypted). */
    note: text("note"),
    recordedBy: integer("recorded_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("follow_ups_due_idx").on(t.status, t.dueOn), index("follow_ups_placement_idx").on(t.placementId), index("follow_ups_person_idx").on(t.personId)],
);

/** Expected and recorded attendance at the placement (a missed expected date raises a warning). */
export const attendance = pgTable(
  "attendance",
  {
    id: serial("id").primaryKey(),
    placementId: integer("placement_id")
      .notNull()
      .references(() => placements.id, { onDelete: "cascade" }),
    on: date("on").notNull(),
    /** null = expected, not yet known; true attended; false missed */
    attended: boolean("attended"),
    recordedBy: integer("recorded_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [uniqueIndex("attendance_placement_on_uq").on(t.placementId, t.on)],
);

/**
 * プラン. `content` of the current version (goals, actions with the responsible agency 役割分担,
 * linked placements, programmes, monitoring dates) lives in plan_versions; the plan row carries
 * the lifecycle (app/plans/lifecycle.ts).
 */
export const plans = pgTable(
  "plans",
  {
    id: serial("id").primaryKey(),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    status: text("status").notNull().default("draft"),
    /**
     * 終結 or 中断 proposed by staff, waiting for the 重層的支援会議 (which must meet when a plan ends
     * or is interrupted); null otherwise.
     */
    proposedStatus: text("proposed_status"),
    version: integer("version").notNull().default(1),
    programmes: text("programmes").array().notNull().default(sql`'{}'::text[]`),
    nextReviewOn: date("next_review_on"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decidedBy: integer("decided_by").references(() => users.id, { onDelete: "set null" }),
    /** 評価シート (encrypted JSON text): goal attainment, supporters' status, need for follow-up. */
    evaluationSheet: text("evaluation_sheet"),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("plans_person_idx").on(t.personId), index("plans_status_idx").on(t.status)],
);

export const planVersions = pgTable(
  "plan_versions",
  {
    id: serial("id").primaryKey(),
    planId: integer("plan_id")
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    /** Encrypted JSON text: {shortTermGoal, longTermGoal, actions:[{action, agency}], placementIds, monitoringDates}. */
    content: text("content").notNull(),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("plan_versions_uq").on(t.planId, t.version)],
);

/** Each lifecycle transition of a plan (who, when, note; the meeting it was decided at). */
export const planEvents = pgTable(
  "plan_events",
  {
    id: serial("id").primaryKey(),
    planId: integer("plan_id")
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    meetingId: integer("meeting_id"),
    by: integer("by").references(() => users.id, { onDelete: "set null" }),
    /** Encrypted. */
    note: text("note"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("plan_events_plan_idx").on(t.planId, t.id)],
);

/** Attempts to reach a person (required before a plan may be 中断). */
export const contactAttempts = pgTable(
  "contact_attempts",
  {
    id: serial("id").primaryKey(),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    on: date("on").notNull(),
    method: text("method").notNull(),
    reached: boolean("reached").notNull(),
    /** Encrypted. */
    note: text("note"),
    recordedBy: integer("recorded_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("contact_attempts_person_idx").on(t.personId, t.on)],
);

/** 支援会議 ('support', art. 106-6) or 重層的支援会議 ('jusouteki'). Materials are never public. */
export const meetings = pgTable("meetings", {
  id: serial("id").primaryKey(),
  kind: text("kind").notNull(),
  heldOn: date("held_on").notNull(),
  title: text("title").notNull(),
  /** Encrypted. */
  minutes: text("minutes"),
  /** Encrypted. */
  decisions: text("decisions"),
  createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Members: portal users or external members by name and organisation; the confidentiality pledge. */
export const meetingMembers = pgTable(
  "meeting_members",
  {
    id: serial("id").primaryKey(),
    meetingId: integer("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    externalName: text("external_name"),
    externalOrganisation: text("external_organisation"),
    /** 守秘義務の誓約: nothing of a case is shown to the member before this is set. */
    pledgeAcceptedAt: timestamp("pledge_accepted_at", { withTimezone: true }),
  },
  (t) => [index("meeting_members_meeting_idx").on(t.meetingId), index("meeting_members_user_idx").on(t.userId)],
);

/** A case on a meeting's agenda, with why it is there and what was decided. */
export const meetingCases = pgTable(
  "meeting_cases",
  {
    id: serial("id").primaryKey(),
    meetingId: integer("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    planId: integer("plan_id").references(() => plans.id, { onDelete: "set null" }),
    /** 'evaluation' | 'replan' | 'termination' | 'interruption' | 'discussion' */
    reason: text("reason").notNull(),
    /** Encrypted. */
    decision: text("decision"),
  },
  (t) => [uniqueIndex("meeting_cases_uq").on(t.meetingId, t.personId)],
);

/** Settings an administrator may change (retention per record class, thresholds …), as JSON. */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedBy: integer("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type FollowUp = typeof followUps.$inferSelect;
export type Plan = typeof plans.$inferSelect;
export type Meeting = typeof meetings.$inferSelect;
export type MeetingMember = typeof meetingMembers.$inferSelect;
