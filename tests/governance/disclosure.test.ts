// 本人開示: an administrator exports everything held about one person, whatever the consent; the
// export decrypts encrypted notes, names staff by role only, and is itself audited with the
// request as purpose. Staff cannot use the disclosure context.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { auditLog, consentEvents, followUps, people, personAssignments, placements, resources } from "../../db/schema";
import { exportPersonRecords } from "../../app/governance/disclosure.server";
import { encryptField } from "../../app/utils/field-crypto.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeUser, outcome, signIn, type TestUser } from "../accounts/helpers";
import { args, post } from "../people/helpers";
import { setDatabase } from "../../db/client.server";
import { action } from "~/routes/staff.people.$id_.disclosure";

let handle: TestDatabase;
let staff: TestUser;
let admin: TestUser;

beforeAll(async () => {
  handle = await createTestDatabase();
  staff = await makeUser(handle.db, { role: "staff", totp: true });
  admin = await makeUser(handle.db, { role: "admin", totp: true });
  const [person] = await handle.db.insert(people).values({ caseNumber: "2026-0042", name: "開示 太郎", nameKana: "かいじ たろう", healthNote: encryptField("通院中") }).returning({ id: people.id });
  await handle.db.insert(personAssignments).values({ personId: person!.id, userId: staff.id });
  await handle.db.insert(consentEvents).values({ personId: person!.id, state: "disagree", recordedOn: "2026-11-01" });
  const [resource] = await handle.db.insert(resources).values({ name: "みなとサロン", kind: "salon" }).returning({ id: resources.id });
  const [placement] = await handle.db.insert(placements).values({ personId: person!.id, resourceId: resource!.id, status: "visit" }).returning({ id: placements.id });
  await handle.db.insert(followUps).values({ personId: person!.id, placementId: placement!.id, side: "person", dueOn: "2026-12-01", status: "done", note: encryptField("見学に同行した") });
});
afterAll(async () => {
  await handle?.cleanup();
});

test("an administrator exports a 不同意 person's records, decrypted, and the export is audited", async () => {
  const result = await exportPersonRecords(handle.db, { actor: { id: admin.id, role: "admin" }, caseNumber: "2026-0042", purpose: "本人開示請求（受付 2026-117）" });
  if (result.kind !== "ok") throw new Error(result.kind);
  const doc = result.value;
  expect(doc.person.name).toBe("開示 太郎");
  expect(doc.person.healthNote).toBe("通院中");
  expect(doc.consentEvents.map((c) => c.state)).toEqual(["disagree"]);
  expect(doc.placements[0]).toMatchObject({ resourceName: "みなとサロン", status: "visit" });
  expect(doc.followUps[0]!.note).toBe("見学に同行した");
  expect(JSON.stringify(doc)).not.toContain("enc:v1:");
  const [row] = await handle.db.select().from(auditLog).where(and(eq(auditLog.action, "person.disclosure-export"), eq(auditLog.outcome, "success")));
  expect(row).toMatchObject({ recordId: "2026-0042", purpose: "本人開示請求（受付 2026-117）", actorRole: "admin" });
});

test("staff, even assigned, cannot use the disclosure context", async () => {
  const result = await exportPersonRecords(handle.db, { actor: { id: staff.id, role: "staff" }, caseNumber: "2026-0042", purpose: "本人開示請求" });
  expect(result.kind).toBe("not-found");
});

test("the page: an administrator downloads the JSON with the request as purpose; a missing reference is 400", async () => {
  setDatabase(handle);
  const session = await signIn(handle.db, admin, { twoFactorVerified: true });
  const response = (await action(args(post("/staff/people/2026-0042/disclosure", session, [["reference", "受付 2026-118"]]), { id: "2026-0042" }))) as Response;
  expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="disclosure-2026-0042.json"');
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  const doc = (await response.json()) as { caseNumber: string; purpose: string };
  expect(doc).toMatchObject({ caseNumber: "2026-0042", purpose: "本人開示請求：受付 2026-118" });
  const bad = await outcome(() => action(args(post("/staff/people/2026-0042/disclosure", session, [["reference", ""]]), { id: "2026-0042" })));
  expect(bad.status).toBe(400);
});
