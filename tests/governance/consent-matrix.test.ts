// The consent × role × meeting-membership matrix (issue 7), through the real route loaders: for
// three people (同意 / 不同意 / 不明, all assigned to staff A) and six viewers, which person pages,
// lists (and their counts), plan pages, 本人開示 exports, meeting agendas, meeting case pages and
// search results show what. Then consent is revoked and the change shows at once.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { consentEvents, meetingCases, meetingMembers, meetings, people, personAssignments } from "../../db/schema";
import { setDatabase } from "../../db/client.server";
import { fillIndexFromDatabase } from "../../search/engine.server";
import { loader as personLoader } from "~/routes/staff.people.$id";
import { loader as listLoader } from "~/routes/staff.people._index";
import { loader as plansLoader } from "~/routes/staff.people.$id_.plans._index";
import { loader as disclosureLoader } from "~/routes/staff.people.$id_.disclosure";
import { loader as meetingLoader } from "~/routes/staff.meetings.$id";
import { loader as meetingCaseLoader } from "~/routes/staff.meetings.$id_.cases.$caseId";
import { loader as searchLoader } from "~/routes/api.search";
import { createTestDatabaseWithOpenData, type TestDatabase } from "../helpers/db";
import { makeUser, outcome, signIn, type TestUser } from "../accounts/helpers";
import { args, get, type Session } from "../people/helpers";

type Viewer = "assigned" | "pledged" | "unpledged" | "outsider" | "admin" | "coordinator";
type Consent = "agree" | "disagree" | "unknown";
const CASES: Record<Consent, string> = { agree: "2026-0001", disagree: "2026-0002", unknown: "2026-0003" };
const KANA: Record<Consent, string> = { agree: "あおき はな", disagree: "いしだ けん", unknown: "うえの みき" };
const NAMES: Record<Consent, string> = { agree: "青木 花", disagree: "石田 健", unknown: "上野 美紀" };

let handle: TestDatabase;
const users = {} as Record<Viewer, TestUser>;
const sessions = {} as Record<Viewer, Session>;
let supportMeeting: number;
let jusouMeeting: number;
const supportCaseIds = {} as Record<Consent, number>;
let jusouCaseId: number;

beforeAll(async () => {
  handle = await createTestDatabaseWithOpenData();
  setDatabase(handle);
  await fillIndexFromDatabase(handle);
  const roles: Record<Viewer, "staff" | "admin" | "coordinator"> = { assigned: "staff", pledged: "staff", unpledged: "staff", outsider: "staff", admin: "admin", coordinator: "coordinator" };
  for (const viewer of Object.keys(roles) as Viewer[]) {
    users[viewer] = await makeUser(handle.db, { role: roles[viewer], totp: roles[viewer] !== "coordinator" });
    sessions[viewer] = await signIn(handle.db, users[viewer], { twoFactorVerified: roles[viewer] !== "coordinator" });
  }
  const ids = {} as Record<Consent, number>;
  for (const consent of ["agree", "disagree", "unknown"] as Consent[]) {
    const [row] = await handle.db.insert(people).values({ caseNumber: CASES[consent], name: NAMES[consent], nameKana: KANA[consent], area: "焼津市" }).returning({ id: people.id });
    ids[consent] = row!.id;
    await handle.db.insert(personAssignments).values({ personId: row!.id, userId: users.assigned.id });
    await handle.db.insert(consentEvents).values({ personId: row!.id, state: consent, recordedOn: "2026-11-01" });
  }
  const now = new Date();
  const [m1] = await handle.db.insert(meetings).values({ kind: "support", heldOn: "2026-12-03", title: "支援会議" }).returning({ id: meetings.id });
  supportMeeting = m1!.id;
  await handle.db.insert(meetingMembers).values([
    { meetingId: supportMeeting, userId: users.assigned.id, pledgeAcceptedAt: now },
    { meetingId: supportMeeting, userId: users.pledged.id, pledgeAcceptedAt: now },
    { meetingId: supportMeeting, userId: users.unpledged.id },
    { meetingId: supportMeeting, userId: users.admin.id },
  ]);
  for (const consent of ["agree", "disagree", "unknown"] as Consent[]) {
    const [c] = await handle.db.insert(meetingCases).values({ meetingId: supportMeeting, personId: ids[consent], reason: "discussion" }).returning({ id: meetingCases.id });
    supportCaseIds[consent] = c!.id;
  }
  const [m2] = await handle.db.insert(meetings).values({ kind: "jusouteki", heldOn: "2026-12-10", title: "重層的支援会議" }).returning({ id: meetings.id });
  jusouMeeting = m2!.id;
  await handle.db.insert(meetingMembers).values([
    { meetingId: jusouMeeting, userId: users.assigned.id },
    { meetingId: jusouMeeting, userId: users.pledged.id },
    { meetingId: jusouMeeting, userId: users.admin.id },
  ]);
  const [c2] = await handle.db.insert(meetingCases).values({ meetingId: jusouMeeting, personId: ids.agree, reason: "evaluation" }).returning({ id: meetingCases.id });
  jusouCaseId = c2!.id;
});
afterAll(async () => {
  await handle?.cleanup();
});

const status = async (run: () => Promise<unknown>) => (await outcome(run)).status;

// Expected answers. Person page / plans page: 200 shown, 404 hidden, 403 no staff access, 409 plan
// without consent. Meeting case page: 200 or 404.
const PERSON_PAGE: Record<Viewer, Record<Consent, number>> = {
  assigned: { agree: 200, disagree: 200, unknown: 200 },
  pledged: { agree: 404, disagree: 404, unknown: 404 },
  unpledged: { agree: 404, disagree: 404, unknown: 404 },
  outsider: { agree: 404, disagree: 404, unknown: 404 },
  admin: { agree: 200, disagree: 404, unknown: 404 },
  coordinator: { agree: 403, disagree: 403, unknown: 403 },
};
const PLANS_PAGE: Record<Viewer, Record<Consent, number>> = {
  ...PERSON_PAGE,
  assigned: { agree: 200, disagree: 409, unknown: 409 },
};
const SUPPORT_CASE_PAGE: Record<Viewer, Record<Consent, number>> = {
  assigned: { agree: 200, disagree: 200, unknown: 200 },
  pledged: { agree: 200, disagree: 200, unknown: 200 },
  unpledged: { agree: 404, disagree: 404, unknown: 404 },
  outsider: { agree: 404, disagree: 404, unknown: 404 },
  admin: { agree: 404, disagree: 404, unknown: 404 }, // a member who has not pledged
  coordinator: { agree: 403, disagree: 403, unknown: 403 },
};

describe.each(Object.keys(PERSON_PAGE) as Viewer[])("viewer: %s", (viewer) => {
  test("person pages, plans pages and the list (with its count)", async () => {
    for (const consent of ["agree", "disagree", "unknown"] as Consent[]) {
      const params = { id: CASES[consent] };
      expect(await status(() => personLoader(args(get(`/staff/people/${CASES[consent]}`, sessions[viewer]), params))), `${consent} person`).toBe(PERSON_PAGE[viewer][consent]);
      expect(await status(() => plansLoader(args(get(`/staff/people/${CASES[consent]}/plans`, sessions[viewer]), params))), `${consent} plans`).toBe(PLANS_PAGE[viewer][consent]);
    }
    const list = await outcome(() => listLoader(args(get("/staff/people", sessions[viewer]))));
    if (viewer === "coordinator") {
      expect(list.status).toBe(403);
      return;
    }
    const visible = (["agree", "disagree", "unknown"] as Consent[]).filter((c) => PERSON_PAGE[viewer][c] === 200);
    const data = list.data as unknown as { rows: { caseNumber: string }[]; total: number };
    expect(data.rows.map((r) => r.caseNumber).sort()).toEqual(visible.map((c) => CASES[c]).sort());
    expect(data.total).toBe(visible.length);
  });

  test("本人開示: administrators only, any consent", async () => {
    for (const consent of ["agree", "disagree", "unknown"] as Consent[]) {
      const expected = viewer === "admin" ? 200 : 403;
      expect(await status(() => disclosureLoader(args(get(`/staff/people/${CASES[consent]}/disclosure`, sessions[viewer]), { id: CASES[consent] })))).toBe(expected);
    }
  });

  test("meetings: agenda labels and case pages", async () => {
    const support = await outcome(() => meetingLoader(args(get(`/staff/meetings/${supportMeeting}`, sessions[viewer]), { id: String(supportMeeting) })));
    if (viewer === "coordinator") {
      expect(support.status).toBe(403);
      return;
    }
    if (viewer === "outsider") {
      expect(support.status).toBe(404);
    } else {
      expect(support.status).toBe(200);
      const cases = (support.data as unknown as { cases: { caseNumber: string; label: string; visible: boolean }[] }).cases;
      for (const consent of ["agree", "disagree", "unknown"] as Consent[]) {
        const row = cases.find((c) => c.caseNumber === CASES[consent])!;
        const pageOpen = SUPPORT_CASE_PAGE[viewer][consent] === 200;
        expect(row.visible, `${consent} visible`).toBe(pageOpen);
        // Before the pledge: the case number only, not even initials (unless authorised outside).
        if (!pageOpen && PERSON_PAGE[viewer][consent] !== 200) expect(row.label).toBe(`（${CASES[consent]}）`);
        if (viewer === "pledged") expect(row.label).not.toContain(NAMES[consent]);
      }
    }
    for (const consent of ["agree", "disagree", "unknown"] as Consent[]) {
      const page = await status(() =>
        meetingCaseLoader(args(get(`/staff/meetings/${supportMeeting}/cases/${supportCaseIds[consent]}`, sessions[viewer]), { id: String(supportMeeting), caseId: String(supportCaseIds[consent]) }))
      );
      expect(page, `${consent} support case page`).toBe(SUPPORT_CASE_PAGE[viewer][consent]);
    }
    const jusouExpected = viewer === "assigned" || viewer === "pledged" || viewer === "admin" ? 200 : 404;
    const jusou = await status(() => meetingCaseLoader(args(get(`/staff/meetings/${jusouMeeting}/cases/${jusouCaseId}`, sessions[viewer]), { id: String(jusouMeeting), caseId: String(jusouCaseId) })));
    expect(jusou).toBe(jusouExpected);
  });
});

test("search results never contain people, for anyone", async () => {
  for (const consent of ["agree", "disagree", "unknown"] as Consent[]) {
    for (const q of [NAMES[consent], KANA[consent], CASES[consent]]) {
      const response = (await searchLoader({ request: new Request(`http://localhost/api/search?q=${encodeURIComponent(q)}`), params: {}, context: {} })) as Response;
      const body = (await response.json()) as { total: number; hits: { name: string }[] };
      expect(body.hits.map((h) => h.name).join()).not.toContain(NAMES[consent]);
    }
  }
});

test("revoking consent hides the case at once: the admin's page and list, the 重層的支援会議", async () => {
  const [agreeId] = await handle.db.select({ id: people.id }).from(people).where(eq(people.caseNumber, CASES.agree));
  await handle.db.insert(consentEvents).values({ personId: agreeId!.id, state: "disagree", recordedOn: "2026-12-05" });
  expect(await status(() => personLoader(args(get(`/staff/people/${CASES.agree}`, sessions.admin), { id: CASES.agree })))).toBe(404);
  const list = await outcome(() => listLoader(args(get("/staff/people", sessions.admin))));
  expect((list.data as unknown as { total: number }).total).toBe(0);
  for (const viewer of ["assigned", "pledged", "admin"] as Viewer[]) {
    expect(await status(() => meetingCaseLoader(args(get(`/staff/meetings/${jusouMeeting}/cases/${jusouCaseId}`, sessions[viewer]), { id: String(jusouMeeting), caseId: String(jusouCaseId) })))).toBe(404);
  }
  // The assigned staff still has the case (casework), and the pledged 支援会議 member still sees it there.
  expect(await status(() => personLoader(args(get(`/staff/people/${CASES.agree}`, sessions.assigned), { id: CASES.agree })))).toBe(200);
  expect(
    await status(() => meetingCaseLoader(args(get(`/staff/meetings/${supportMeeting}/cases/${supportCaseIds.agree}`, sessions.pledged), { id: String(supportMeeting), caseId: String(supportCaseIds.agree) })))
  ).toBe(200);
});
