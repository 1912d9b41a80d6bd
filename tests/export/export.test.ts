// Exports of the published directory (issue 5 §6): 標準OD CSV (UTF-8 BOM / CP932), HSDS 3.0,
// GeoJSON, /api/resources and /api/openapi.json — loaders called directly over a fresh database
// with the bundled open data. The round trip imports the HSDS export into an EMPTY database and
// reads the CSV export back, and both must give the same resources.
import iconv from "iconv-lite";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resources } from "../../db/schema";
import { readCsv } from "../../app/import/csv";
import { createTestApp } from "../helpers/app";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import {
  CSV_COLUMNS,
  FACILITY_LIST_COLUMNS,
  encodeCsv,
  listExportResources,
  parseScheduleCell,
  toHsds,
  type ExportResource,
} from "~/models/export.server";
import { importExportCsv, importHsds } from "~/models/hsds-import.server";
import { formatAddress } from "~/utils/format";
import { loader as apiResources } from "~/routes/api.resources";
import { loader as openApi } from "~/routes/api.openapi[.]json";
import { loader as csvExport } from "~/routes/export.resources[.]csv";
import { loader as geojsonExport } from "~/routes/export.resources[.]geojson";
import { loader as hsdsExport } from "~/routes/export.resources[.]hsds[.]json";

let app: TestDatabase;
let all: ExportResource[];
beforeAll(async () => {
  app = await createTestApp();
  all = await listExportResources({}, app.db);
});
afterAll(async () => {
  await app?.cleanup();
});

const args = (url: string) => ({ request: new Request(`http://localhost${url}`), params: {}, context: {} });

/** What must survive any export: name, kind, coordinates, schedules. */
function essence(list: Pick<ExportResource, "name" | "kind" | "latitude" | "longitude" | "schedules">[]) {
  return list
    .map((r) => ({
      name: r.name,
      kind: r.kind,
      latitude: r.latitude,
      longitude: r.longitude,
      schedules: r.schedules.map((s) => ({
        rrule: s.rrule,
        startsOn: s.startsOn,
        startTime: s.startTime,
        endTime: s.endTime,
        exceptionDates: s.exceptionDates,
      })),
    }))
    .sort((a, b) => `${a.name}|${a.latitude}`.localeCompare(`${b.name}|${b.latitude}`));
}

test("only published resources are exported", async () => {
  expect(all.length).toBeGreaterThan(10);
  const [draft] = await app.db
    .insert(resources)
    .values({ name: "下書きのサロン", kind: "salon", reviewStatus: "draft" })
    .returning({ id: resources.id });
  try {
    const list = await listExportResources({}, app.db);
    expect(list.some((r) => r.id === draft.id)).toBe(false);
    expect(list).toHaveLength(all.length);
  } finally {
    await app.db.delete(resources).where(eq(resources.id, draft.id));
  }
});

describe("標準OD CSV", () => {
  test("UTF-8 with BOM, the 公共施設一覧 columns first, then 出典; served as an attachment", async () => {
    const response = await csvExport(args("/export/resources.csv"));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="chiiki-resources-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const table = readCsv(bytes);
    expect(table.encoding).toBe("utf-8-bom");
    expect(table.header.slice(0, FACILITY_LIST_COLUMNS.length)).toEqual([...FACILITY_LIST_COLUMNS]);
    expect(table.header).toContain("出典");
    expect(table.records).toHaveLength(all.length);
    expect(table.problems).toEqual([]);
    for (const record of table.records) expect(record.values["出典"]).not.toBe("");
  });

  test("CP932 decodes back; characters CP932 cannot hold are reported, not lost", async () => {
    const response = await csvExport(args("/export/resources.csv?encoding=cp932"));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/Shift_JIS/);
    const text = iconv.decode(Buffer.from(await response.arrayBuffer()), "cp932");
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text.split("\r\n")[0]).toBe(CSV_COLUMNS.join(","));
    const plain = all.filter((r) => iconv.decode(iconv.encode(r.name, "cp932"), "cp932") === r.name);
    expect(plain.length).toBeGreaterThan(0);
    for (const r of plain.slice(0, 20)) expect(text).toContain(r.name);
    expect(Number(response.headers.get("X-Export-Unmappable-Count"))).toBeGreaterThanOrEqual(0);

    const odd = { ...all[0], name: "𠮷野家サロン🍙" };
    const { bytes, unmappable } = encodeCsv([odd], "cp932");
    expect(unmappable.filter((u) => u.column === "名称").map((u) => u.codePoint)).toEqual(["U+20BB7", "U+1F359"]);
    expect(unmappable[0].row).toBe(2);
    const back = readCsv(bytes);
    expect(back.encoding).toBe("cp932");
    expect(back.records[0].values["名称"]).toBe("〓野家サロン〓");
  });

  test("bad encoding → 400 in Japanese", async () => {
    const response = await csvExport(args("/export/resources.csv?encoding=latin1"));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/文字コード/);
  });
});

describe("HSDS 3.0", () => {
  test("organization / service / location / service_at_location / schedule with RRULE parts", async () => {
    const response = await hsdsExport(args("/export/resources.hsds.json"));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toMatch(/attachment; filename="chiiki-resources-.*\.hsds\.json"/);
    const doc = (await response.json()) as ReturnType<typeof toHsds>;
    expect(doc.hsds_version).toBe("3.0");
    expect(doc.service).toHaveLength(all.length);
    expect(doc.location).toHaveLength(all.length);
    expect(doc.service_at_location).toHaveLength(all.length);
    expect(doc.organization.length).toBeGreaterThan(0);
    const orgIds = new Set(doc.organization.map((o) => o.id));
    for (const service of doc.service) {
      expect(orgIds.has(service.organization_id as string)).toBe(true);
      expect((service.attribution as { text: string }).text).not.toBe("");
    }
    const scheduleCount = all.reduce((n, r) => n + r.schedules.length, 0);
    expect(scheduleCount).toBeGreaterThan(0);
    expect(doc.schedule).toHaveLength(scheduleCount);
    for (const s of doc.schedule) {
      const rrule = s.rrule as string;
      expect(rrule).toMatch(/^FREQ=/);
      expect(s.freq).toBe(/FREQ=([A-Z]+)/.exec(rrule)?.[1]);
      expect(s.byday).toBe(/BYDAY=([^;]+)/.exec(rrule)?.[1] ?? null);
      expect(s.bymonthday).toBe(/BYMONTHDAY=([^;]+)/.exec(rrule)?.[1] ?? null);
    }
    expect(doc.attribution.length).toBeGreaterThan(0);
    // Nothing about people.
    expect(JSON.stringify(doc)).not.toMatch(/created_?by|return_?reason|password|contact/i);
  });

  test("a monthly rule keeps its ordinal weekdays", () => {
    const salon = {
      ...all[0],
      schedules: [
        { rrule: "FREQ=MONTHLY;BYDAY=2TU,4TU", startsOn: "2025-04-01", startTime: "10:00", endTime: "11:30", exceptionDates: [], note: null },
        { rrule: "FREQ=MONTHLY;BYMONTHDAY=15", startsOn: "2025-04-01", startTime: null, endTime: null, exceptionDates: [], note: null },
      ],
    };
    const doc = toHsds([salon]);
    expect(doc.schedule[0]).toMatchObject({ freq: "MONTHLY", byday: "2TU,4TU", bymonthday: null, opens_at: "10:00:00", closes_at: "11:30:00" });
    expect(doc.schedule[1]).toMatchObject({ freq: "MONTHLY", byday: null, bymonthday: "15" });
  });
});

describe("GeoJSON", () => {
  test("a FeatureCollection of points with attribution", async () => {
    const response = await geojsonExport(args("/export/resources.geojson"));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^application\/geo\+json/);
    const doc = (await response.json()) as {
      type: string;
      features: { type: string; geometry: { type: string; coordinates: [number, number] }; properties: Record<string, unknown> }[];
    };
    expect(doc.type).toBe("FeatureCollection");
    const located = all.filter((r) => r.latitude !== null && r.longitude !== null);
    expect(doc.features).toHaveLength(located.length);
    for (const feature of doc.features) {
      expect(feature.type).toBe("Feature");
      expect(feature.geometry.type).toBe("Point");
      const [lon, lat] = feature.geometry.coordinates;
      expect(lon).toBeGreaterThan(122);
      expect(lon).toBeLessThan(154);
      expect(lat).toBeGreaterThan(20);
      expect(lat).toBeLessThan(46);
      expect(typeof feature.properties.name).toBe("string");
      expect(feature.properties.attribution).toBeTruthy();
    }
  });
});

describe("/api/resources", () => {
  type Page = { total: number; page: number; limit: number; items: { id: number; kind: string; attribution: { text: string } }[]; error?: { message: string } };
  const call = async (query: string) => {
    const response = await apiResources(args(`/api/resources${query}`));
    return { status: response.status, body: (await response.json()) as Page };
  };

  test("pages through every published resource", async () => {
    const first = await call("?limit=7");
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(all.length);
    expect(first.body.items).toHaveLength(7);
    const second = await call("?limit=7&page=2");
    expect(second.body.items[0].id).toBe(all[7].id);
    expect(first.body.items[0].attribution.text).not.toBe("");
    const beyond = await call("?page=9999");
    expect(beyond.status).toBe(200);
    expect(beyond.body.items).toEqual([]);
    const defaults = await call("");
    expect(defaults.body).toMatchObject({ page: 1, limit: 20 });
  });

  test("filters by kind and area", async () => {
    const kind = all[0].kind;
    const byKind = await call(`?kind=${kind}&limit=100`);
    expect(byKind.body.total).toBe(all.filter((r) => r.kind === kind).length);
    expect(byKind.body.items.every((i) => i.kind === kind)).toBe(true);
    const area = all.find((r) => r.area)?.area as string;
    const byArea = await call(`?area=${encodeURIComponent(area)}`);
    expect(byArea.body.total).toBe(all.filter((r) => r.area === area).length);
  });

  test.each([
    ["?page=0", /ページ番号/],
    ["?page=abc", /ページ番号/],
    ["?limit=101", /件数/],
    ["?limit=-1", /件数/],
    ["?page=1&page=2", /複数/],
    ["?kind=nonsense", /種類/],
    [`?area=${"あ".repeat(51)}`, /地域/],
  ])("%s → 400 with a Japanese message", async (query, message) => {
    const { status, body } = await call(query);
    expect(status).toBe(400);
    expect(body.error?.message).toMatch(message);
  });
});

test("/api/openapi.json describes the API and the exports", async () => {
  const response = openApi();
  const doc = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
  expect(doc.openapi).toMatch(/^3\.1/);
  expect(Object.keys(doc.paths).sort()).toEqual(
    ["/api/resources", "/api/search", "/export/resources.csv", "/export/resources.geojson", "/export/resources.hsds.json"].sort()
  );
});

describe("round trip into an empty database", () => {
  let empty: TestDatabase;
  beforeAll(async () => {
    empty = await createTestDatabase();
  });
  afterAll(async () => {
    await empty?.cleanup();
  });

  test("HSDS export → import → the same resources", async () => {
    const doc = JSON.parse(JSON.stringify(toHsds(all))) as unknown;
    const before = await listExportResources({}, empty.db);
    expect(before).toEqual([]);
    const written = await importHsds(empty.db, doc);
    expect(written.resources).toBe(all.length);
    const back = await listExportResources({}, empty.db);
    expect(essence(back)).toEqual(essence(all));
    // Credits survive too.
    expect(back.map((r) => r.source?.attribution ?? null).sort()).toEqual(all.map((r) => r.source?.attribution ?? null).sort());
  });

  test("標準OD CSV export → import into another empty database → the same resources", async () => {
    const other = await createTestDatabase();
    try {
      const written = await importExportCsv(other.db, encodeCsv(all, "utf-8").bytes);
      expect(written.resources).toBe(all.length);
      const back = await listExportResources({}, other.db);
      expect(essence(back)).toEqual(essence(all));
      // The address as residents read it (a source repeating the city in its street part reads the same).
      const address = (list: ExportResource[]) => list.map((r) => `${r.name}|${r.phone}|${formatAddress(r)}`).sort();
      expect(address(back)).toEqual(address(all));
    } finally {
      await other.cleanup();
    }
  });

  test("標準OD CSV export → parsed back → the same resources", () => {
    const table = readCsv(encodeCsv(all, "utf-8").bytes);
    const back = table.records.map((record) => {
      const v = record.values;
      return {
        name: v["名称"],
        kind: v["種別コード"],
        latitude: v["緯度"] === "" ? null : Number(v["緯度"]),
        longitude: v["経度"] === "" ? null : Number(v["経度"]),
        schedules: parseScheduleCell(v["日程_RRULE"]),
      };
    });
    expect(essence(back)).toEqual(essence(all));
  });
});
