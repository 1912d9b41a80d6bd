// Reads back an HSDS 3.0 document written by export.server.ts (`toHsds`) into a database: one
// source per attribution, one resource per service (with its location), its schedules from the
// `rrule` of each schedule row. Used by the export round-trip test; it understands the portal's
// own `x_chiiki` and `attribution` members and is not a general HSDS importer.
// `importExportCsv` does the same for the 標準OD CSV export (its 種別コード, 日程_RRULE and 出典
// columns included); municipal 公共施設一覧 files go through app/import instead.
import { z } from "zod";
import { readCsv } from "../import/csv";
import type { Executor } from "../../db/client.server";
import { resources, schedules, sources } from "../../db/schema";
import { HSDS_STATUS_BACK, parseScheduleCell } from "./export.server";

const attributionSchema = z.object({
  text: z.string(),
  source_key: z.string().nullable(),
  publisher: z.string().nullable(),
  dataset: z.string().nullable(),
  licence: z.string().nullable(),
  licence_url: z.string().nullable(),
  source_url: z.string().nullable(),
});

const documentSchema = z.object({
  hsds_version: z.string(),
  service: z.array(
    z.object({
      id: z.string(),
      name: z.string().min(1),
      alternate_name: z.string().nullable().optional(),
      description: z.string().nullable().optional(),
      url: z.string().nullable().optional(),
      email: z.string().nullable().optional(),
      status: z.string(),
      last_modified: z.string().nullable().optional(),
      phones: z.array(z.object({ number: z.string() })).default([]),
      attribution: attributionSchema,
      x_chiiki: z.object({
        kind: z.string(),
        services: z.array(z.string()),
        activities: z.array(z.string()),
        target_groups: z.array(z.string()),
        conditions: z.array(z.string()),
        cost_kind: z.string(),
        cost_yen: z.number().nullable(),
        cost_note: z.string().nullable(),
        capacity: z.number().nullable(),
        operator: z.string().nullable(),
        area: z.string().nullable(),
        hours_note: z.string().nullable(),
        source_note: z.string().nullable(),
        status: z.string().optional(),
      }),
    })
  ),
  location: z.array(
    z.object({
      id: z.string(),
      latitude: z.number().nullable(),
      longitude: z.number().nullable(),
      transportation: z.string().nullable().optional(),
      addresses: z.array(
        z.object({
          address_1: z.string(),
          address_2: z.string().nullable().optional(),
          city: z.string(),
          state_province: z.string(),
          postal_code: z.string(),
        })
      ),
    })
  ),
  service_at_location: z.array(z.object({ id: z.string(), service_id: z.string(), location_id: z.string() })),
  schedule: z.array(
    z.object({
      service_id: z.string(),
      dtstart: z.string(),
      rrule: z.string().min(1),
      opens_at: z.string().nullable(),
      closes_at: z.string().nullable(),
      notes: z.string().nullable().optional(),
      x_exception_dates: z.array(z.string()).default([]),
    })
  ),
});

const blankToNull = (value: string | null | undefined) => (value ? value : null);
const hhmm = (time: string | null) => (time ? time.slice(0, 5) : null);

/** Imports the document in one transaction; returns how many resources and schedules it wrote. */
export async function importHsds(db: Executor, input: unknown): Promise<{ resources: number; schedules: number }> {
  const doc = documentSchema.parse(input);
  const locationOf = new Map<string, (typeof doc.location)[number]>();
  const locationById = new Map(doc.location.map((l) => [l.id, l]));
  for (const link of doc.service_at_location) {
    const location = locationById.get(link.location_id);
    if (location && !locationOf.has(link.service_id)) locationOf.set(link.service_id, location);
  }
  const schedulesOf = new Map<string, (typeof doc.schedule)[number][]>();
  for (const row of doc.schedule) schedulesOf.set(row.service_id, [...(schedulesOf.get(row.service_id) ?? []), row]);

  let written = { resources: 0, schedules: 0 };
  await db.transaction(async (tx) => {
    const sourceIds = new Map<string, number>();
    for (const service of doc.service) {
      const a = service.attribution;
      let sourceId: number | null = null;
      if (a.source_key && a.publisher) {
        sourceId = sourceIds.get(a.source_key) ?? null;
        if (sourceId === null) {
          const base = service.x_chiiki.source_note && a.text.endsWith(`（${service.x_chiiki.source_note}）`)
            ? a.text.slice(0, -(service.x_chiiki.source_note.length + 2))
            : a.text;
          const [row] = await tx
            .insert(sources)
            .values({
              key: a.source_key,
              publisher: a.publisher,
              dataset: a.dataset ?? "",
              licence: a.licence ?? "",
              licenceUrl: a.licence_url,
              attribution: base,
              sourceUrl: a.source_url,
            })
            .returning({ id: sources.id });
          sourceId = row.id;
          sourceIds.set(a.source_key, sourceId);
        }
      }
      const location = locationOf.get(service.id);
      const address = location?.addresses[0];
      const x = service.x_chiiki;
      const [resource] = await tx
        .insert(resources)
        .values({
          name: service.name,
          nameKana: blankToNull(service.alternate_name),
          kind: x.kind,
          services: x.services,
          description: blankToNull(service.description),
          activities: x.activities,
          targetGroups: x.target_groups,
          conditions: x.conditions,
          costKind: x.cost_kind,
          costYen: x.cost_yen,
          costNote: x.cost_note,
          capacity: x.capacity,
          postalCode: blankToNull(address?.postal_code),
          prefecture: blankToNull(address?.state_province),
          city: blankToNull(address?.city),
          addressLine: blankToNull(address?.address_1),
          building: blankToNull(address?.address_2),
          latitude: location?.latitude ?? null,
          longitude: location?.longitude ?? null,
          area: x.area,
          operator: x.operator,
          phone: service.phones[0]?.number ?? null,
          email: blankToNull(service.email),
          url: blankToNull(service.url),
          hoursNote: x.hours_note,
          accessNote: blankToNull(location?.transportation),
          status: x.status ?? HSDS_STATUS_BACK[service.status] ?? "active",
          lastVerifiedOn: blankToNull(service.last_modified),
          sourceId,
          sourceRowId: sourceId === null ? null : service.id,
          sourceNote: x.source_note,
          reviewStatus: "published",
          publishedAt: new Date(),
        })
        .returning({ id: resources.id });
      written = { ...written, resources: written.resources + 1 };
      const rows = schedulesOf.get(service.id) ?? [];
      if (rows.length > 0) {
        await tx.insert(schedules).values(
          rows.map((s) => ({
            resourceId: resource.id,
            rrule: s.rrule,
            startsOn: s.dtstart,
            startTime: hhmm(s.opens_at),
            endTime: hhmm(s.closes_at),
            exceptionDates: s.x_exception_dates,
            note: s.notes ?? null,
          }))
        );
        written = { ...written, schedules: written.schedules + rows.length };
      }
    }
  });
  return written;
}

/** Imports a CSV written by `encodeCsv` (either encoding) in one transaction. */
export async function importExportCsv(db: Executor, bytes: Uint8Array): Promise<{ resources: number; schedules: number }> {
  const table = readCsv(bytes);
  if (table.problems.length > 0) throw new Error(`CSV の${table.problems[0].row}行目が読めません：${table.problems[0].reason}`);
  let written = { resources: 0, schedules: 0 };
  await db.transaction(async (tx) => {
    const sourceIds = new Map<string, number>();
    for (const record of table.records) {
      const v = (column: string) => record.values[column] ?? "";
      const credit = v("出典");
      let sourceId: number | null = null;
      if (credit && v("ライセンス")) {
        sourceId = sourceIds.get(credit) ?? null;
        if (sourceId === null) {
          const [row] = await tx
            .insert(sources)
            .values({
              key: `export-csv-${sourceIds.size + 1}`,
              publisher: credit,
              dataset: credit,
              licence: v("ライセンス"),
              licenceUrl: blankToNull(v("ライセンスURL")),
              attribution: credit,
            })
            .returning({ id: sources.id });
          sourceId = row.id;
          sourceIds.set(credit, sourceId);
        }
      }
      const prefecture = blankToNull(v("都道府県名"));
      const city = blankToNull(v("市区町村名"));
      let addressLine = v("住所");
      if (prefecture && addressLine.startsWith(prefecture)) addressLine = addressLine.slice(prefecture.length);
      if (city && addressLine.startsWith(city)) addressLine = addressLine.slice(city.length);
      const number = (text: string) => (text === "" ? null : Number(text));
      const [resource] = await tx
        .insert(resources)
        .values({
          name: v("名称"),
          nameKana: blankToNull(v("名称_カナ")),
          kind: v("種別コード") || "other",
          description: blankToNull(v("説明")),
          prefecture,
          city,
          addressLine: blankToNull(addressLine),
          building: blankToNull(v("方書")),
          latitude: number(v("緯度")),
          longitude: number(v("経度")),
          operator: blankToNull(v("団体名")),
          phone: blankToNull(v("電話番号")),
          url: blankToNull(v("URL")),
          sourceId,
          sourceRowId: sourceId === null ? null : v("NO"),
          reviewStatus: "published",
          publishedAt: new Date(),
        })
        .returning({ id: resources.id });
      const rows = parseScheduleCell(v("日程_RRULE"));
      if (rows.length > 0) await tx.insert(schedules).values(rows.map((s) => ({ ...s, resourceId: resource.id })));
      written = { resources: written.resources + 1, schedules: written.schedules + rows.length };
    }
  });
  return written;
}
