// `npm run seed:demo`, casework part (issue 7 §8): fictional people in each consent state,
// placements at each lifecycle stage, follow-ups (some overdue), a plan awaiting a meeting, one
// 支援会議 and one 重層的支援会議, so every staff screen can be tried. Everything is marked （デモ）
// and is created once (a second run leaves it as it is). Names are invented.
import { and, asc, eq, like, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client.server";
import {
  assessments,
  consentEvents,
  followUps,
  householdMembers,
  households,
  meetingCases,
  meetingMembers,
  meetings,
  people,
  personAssignments,
  placementEvents,
  placements,
  planEvents,
  plans,
  planVersions,
  resources,
  unmetNeeds,
} from "../../db/schema";
import { planFollowUps } from "~/followup/followups.server";
import { addDays, addMonths } from "~/followup/schedule";
import { recordAudit } from "~/utils/audit.server";
import { encryptField } from "~/utils/field-crypto.server";

export const DEMO_MARK = "（デモ）";

interface DemoUsers {
  admin: number;
  staff1: number;
  staff2: number;
}

async function resourceOfKind(tx: Executor, kinds: string[]): Promise<number> {
  for (const kind of kinds) {
    const [row] = await tx
      .select({ id: resources.id })
      .from(resources)
      .where(and(eq(resources.kind, kind), eq(resources.reviewStatus, "published"), eq(resources.status, "active")))
      .orderBy(sql`(${resources.city} = '焼津市') desc`, asc(resources.id))
      .limit(1);
    if (row) return row.id;
  }
  const [any] = await tx.select({ id: resources.id }).from(resources).orderBy(asc(resources.id)).limit(1);
  if (!any) throw new Error("地域資源がありません。先にオープンデータを取り込んでください (no resources: import the open data first)");
  return any.id;
}

/** Creates the demo casework once; returns the case numbers made (empty when it already exists). */
export async function seedDemoCasework(db: Database, users: DemoUsers, today: string): Promise<string[]> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: people.id }).from(people).where(like(people.name, `%${DEMO_MARK}`)).limit(1);
    if (existing) return [];
    const year = today.slice(0, 4);
    const [max] = await tx.select({ n: sql<number>`coalesce(max(split_part(${people.caseNumber}, '-', 2)::int), 0)` }).from(people).where(like(people.caseNumber, `${year}-%`));
    let seq = Number(max?.n ?? 0);
    const nextCase = () => `${year}-${String(++seq).padStart(4, "0")}`;
    const ago = (days: number) => addDays(today, -days);

    const person = async (p: { name: string; kana: string; birthYear: number; area: string; lat: number; lon: number; consent: "agree" | "disagree" | "unknown"; staff: number; householdId?: number; referredBy: string }) => {
      const caseNumber = nextCase();
      const [row] = await tx
        .insert(people)
        .values({ caseNumber, name: `${p.name}${DEMO_MARK}`, nameKana: p.kana, birthYear: p.birthYear, area: p.area, latitude: p.lat, longitude: p.lon, householdId: p.householdId ?? null, referredBy: p.referredBy, createdBy: p.staff })
        .returning({ id: people.id });
      await tx.insert(personAssignments).values({ personId: row!.id, userId: p.staff, assignedBy: users.admin });
      await tx.insert(consentEvents).values({ personId: row!.id, state: p.consent, scope: "関係機関との情報共有・重層的支援会議での検討", recordedOn: ago(120), recordedBy: p.staff, note: encryptField("インテーク時に説明して記録（デモ）") });
      return { id: row!.id, caseNumber };
    };
    const assess = async (personId: number, staff: number, data: Record<string, unknown>, freeText: string) => {
      await tx.insert(assessments).values({ personId, version: 1, assessedOn: ago(100), data, freeText: encryptField(freeText), createdBy: staff });
    };
    const placement = async (personId: number, resourceId: number, staff: number, path: string[], startedDaysAgo: number, step: number) => {
      const [row] = await tx
        .insert(placements)
        .values({ personId, resourceId, status: path[path.length - 1]!, step, reasons: ["デモ：アセスメントに合う場所"], createdBy: staff, hostContact: "受け入れ担当（デモ）" })
        .returning({ id: placements.id, personId: placements.personId });
      let from: string | null = null;
      let day = startedDaysAgo;
      for (const to of path) {
        await tx.insert(placementEvents).values({ placementId: row!.id, fromStatus: from, toStatus: to, on: ago(day), by: staff, note: encryptField(`${to} を記録（デモ）`) });
        if (to === "visit" || to === "trial" || to === "active") await planFollowUps(tx, { id: row!.id, personId, followUpOffsets: null }, ago(day));
        from = to;
        day = Math.max(0, day - 14);
      }
      return row!.id;
    };

    const centre = await resourceOfKind(tx, ["chiiki_katsudo", "ibasho"]);
    const workshop = await resourceOfKind(tx, ["shuro_b", "work_experience"]);
    const kosodate = await resourceOfKind(tx, ["kosodate_shien", "jido_center"]);
    const salon = await resourceOfKind(tx, ["salon", "kaigo_yobo", "kominkan"]);
    const volunteer = await resourceOfKind(tx, ["volunteer", "kominkan"]);

    // 1. 同意: the withdrawn woman from the Yokkaichi plan; 参加中 at a 地域活動支援センター, follow-ups
    //    (the first ones recorded, one overdue), a plan waiting for the 重層的支援会議.
    const p1 = await person({ name: "青木 みどり", kana: "あおき みどり", birthYear: 1971, area: "焼津市", lat: 34.8672, lon: 138.324, consent: "agree", staff: users.staff1, referredBy: "地域包括支援センター" });
    await assess(p1.id, users.staff1, { targetGroups: ["disability"], interests: ["crafts", "reading"], wants: ["ibasho"], availability: [{ weekday: "TU", from: "10:00", to: "15:00" }, { weekday: "TH", from: "10:00", to: "15:00" }], conditions: { smallGroup: true, quiet: true, avoidCrowds: true, firstTimeFriendly: true, needsAccompaniment: true }, maxDistanceKm: 5, transport: ["walk", "bus"], location: { lat: 34.8672, lon: 138.324 }, area: "焼津市" }, "長くひきこもっていた。人混みは苦手。まずは居場所から。");
    const p1Placement = await placement(p1.id, centre, users.staff1, ["proposed", "visit", "trial", "active"], 70, 2);
    const recorded = await tx.select({ id: followUps.id, dueOn: followUps.dueOn }).from(followUps).where(and(eq(followUps.placementId, p1Placement), eq(followUps.status, "planned"))).orderBy(asc(followUps.dueOn), asc(followUps.id));
    for (const [i, f] of recorded.filter((f) => f.dueOn < ago(20)).entries()) {
      await tx.update(followUps).set({ status: "done", doneOn: f.dueOn, contactKind: i % 2 ? "phone" : "visit", withWhom: i % 2 ? "受け入れ先の職員" : "本人", evaluation: { attendance: 3, relationships: 3, feeling: 3, hostView: 3 }, note: encryptField("落ち着いて参加している（デモ）"), recordedBy: users.staff1 }).where(eq(followUps.id, f.id));
    }
    const [plan1] = await tx.insert(plans).values({ personId: p1.id, status: "draft", programmes: ["participation"], nextReviewOn: addDays(today, 10), createdBy: users.staff1 }).returning({ id: plans.id });
    await tx.insert(planVersions).values({ planId: plan1!.id, version: 1, createdBy: users.staff1, content: encryptField(JSON.stringify({ shortTermGoal: "週1回、地域活動支援センターに通う", longTermGoal: "手芸の活動で役割を持つ", actions: [{ action: "通所への同行（最初の1か月）", agency: "参加支援事業者" }, { action: "通院の継続", agency: "相談支援事業所" }], placementIds: [p1Placement], monitoringDates: [addMonths(today, 1)] }))! });
    await tx.insert(planEvents).values({ planId: plan1!.id, fromStatus: null, toStatus: "draft", by: users.staff1 });

    // 2. 不同意: an 8050 household's son; 見学 at a B型 workshop; on the 支援会議's agenda.
    const [h] = await tx.insert(households).values({ note: encryptField("80代の母と二人暮らし（デモ）") }).returning({ id: households.id });
    await tx.insert(householdMembers).values({ householdId: h!.id, name: `石田 ハル${DEMO_MARK}`, relation: "母", birthYear: 1942 });
    const p2 = await person({ name: "石田 健一", kana: "いしだ けんいち", birthYear: 1973, area: "焼津市", lat: 34.872, lon: 138.318, consent: "disagree", staff: users.staff1, householdId: h!.id, referredBy: "地域包括支援センター（母の担当から）" });
    await assess(p2.id, users.staff1, { targetGroups: ["hardship"], interests: ["making", "cleaning"], wants: ["work_trial"], availability: [{ weekday: "MO", from: "09:00", to: "12:00" }, { weekday: "WE", from: "09:00", to: "12:00" }], conditions: { noCertificate: true, shortTime: true }, certificate: "none", maxDistanceKm: 8, transport: ["bicycle"], location: { lat: 34.872, lon: 138.318 } }, "手帳なし。短時間の作業から。");
    await placement(p2.id, workshop, users.staff1, ["proposed", "visit"], 10, 4);

    // 3. 不明: a young carer; no place fits yet → an unmet need waiting.
    const p3 = await person({ name: "三浦 あや", kana: "みうら あや", birthYear: 2008, area: "焼津市", lat: 34.86, lon: 138.31, consent: "unknown", staff: users.staff2, referredBy: "スクールソーシャルワーカー" });
    await assess(p3.id, users.staff2, { targetGroups: ["youth"], interests: ["music"], wants: ["ibasho", "koryu"], availability: [{ weekday: "SA", from: "13:00", to: "17:00" }], conditions: { quiet: true }, maxDistanceKm: 3, location: { lat: 34.86, lon: 138.31 } }, "祖母の介護をしている。土曜の午後だけ出られる。");
    await tx.insert(unmetNeeds).values({ personId: p3.id, kinds: ["ibasho"], wants: ["ibasho", "koryu"], interests: ["music"], targetGroups: ["youth"], weekdays: ["SA"], area: "焼津市", needs: { targetGroups: ["youth"], interests: ["music"], wants: ["ibasho", "koryu"], availability: [{ weekday: "SA", from: "13:00", to: "17:00" }], conditions: { quiet: true }, maxDistanceKm: 3, location: { lat: 34.86, lon: 138.31 } }, note: encryptField("土曜午後に若者が行ける静かな居場所がない（デモ）"), createdBy: users.staff2 });

    // 4. 同意: a mother alone with an infant; 定着 at a 子育て支援センター; plan in progress.
    const p4 = await person({ name: "佐野 ゆり", kana: "さの ゆり", birthYear: 1996, area: "焼津市", lat: 34.868, lon: 138.33, consent: "agree", staff: users.staff1, referredBy: "子育て世代包括支援センター" });
    await placement(p4.id, kosodate, users.staff1, ["proposed", "visit", "active", "settled"], 200, 2);
    const [plan4] = await tx.insert(plans).values({ personId: p4.id, status: "in_progress", programmes: ["participation"], decidedAt: new Date(), decidedBy: users.admin, nextReviewOn: addDays(today, 5), createdBy: users.staff1 }).returning({ id: plans.id });
    await tx.insert(planVersions).values({ planId: plan4!.id, version: 1, createdBy: users.staff1, content: encryptField(JSON.stringify({ shortTermGoal: "子育て支援センターで相談できる人をつくる", longTermGoal: "地域の母親どうしのつながり", actions: [{ action: "初回の同行", agency: "参加支援事業者" }], placementIds: [], monitoringDates: [] }))! });
    for (const to of ["draft", "evaluated", "decided", "in_progress"]) await tx.insert(planEvents).values({ planId: plan4!.id, toStatus: to, by: to === "decided" ? users.admin : users.staff1 });

    // 5. 同意: an older man with early dementia; 体験 at a salon, a volunteer activity 提案.
    const p5 = await person({ name: "大石 進", kana: "おおいし すすむ", birthYear: 1950, area: "焼津市", lat: 34.875, lon: 138.325, consent: "agree", staff: users.staff1, referredBy: "地域包括支援センター" });
    await placement(p5.id, salon, users.staff1, ["proposed", "visit", "trial"], 20, 2);
    await placement(p5.id, volunteer, users.staff1, ["proposed"], 2, 3);

    // 6. 同意: a man after retirement; a volunteer placement 中断, another 終了.
    const p6 = await person({ name: "松本 浩", kana: "まつもと ひろし", birthYear: 1958, area: "焼津市", lat: 34.865, lon: 138.32, consent: "agree", staff: users.staff2, referredBy: "社会福祉協議会" });
    await placement(p6.id, volunteer, users.staff2, ["proposed", "visit", "suspended"], 40, 3);
    await placement(p6.id, salon, users.staff2, ["proposed", "ended"], 90, 2);

    // Meetings: a 支援会議 (staff2 has not accepted the pledge yet) with the 不同意 case, and a
    // 重層的支援会議 whose agenda holds the plan waiting for evaluation.
    const [support] = await tx.insert(meetings).values({ kind: "support", heldOn: addDays(today, 7), title: `第1回支援会議${DEMO_MARK}`, createdBy: users.admin }).returning({ id: meetings.id });
    await tx.insert(meetingMembers).values([
      { meetingId: support!.id, userId: users.admin, pledgeAcceptedAt: new Date() },
      { meetingId: support!.id, userId: users.staff1, pledgeAcceptedAt: new Date() },
      { meetingId: support!.id, userId: users.staff2 },
      { meetingId: support!.id, externalName: `民生委員 田中${DEMO_MARK}`, externalOrganisation: "北地区民生委員児童委員協議会" },
    ]);
    await tx.insert(meetingCases).values({ meetingId: support!.id, personId: p2.id, reason: "discussion" });
    const [jusou] = await tx.insert(meetings).values({ kind: "jusouteki", heldOn: addDays(today, 14), title: `いちばんいい会議${DEMO_MARK}`, createdBy: users.admin }).returning({ id: meetings.id });
    await tx.insert(meetingMembers).values([
      { meetingId: jusou!.id, userId: users.admin },
      { meetingId: jusou!.id, userId: users.staff1 },
      { meetingId: jusou!.id, userId: users.staff2 },
    ]);
    await tx.insert(meetingCases).values({ meetingId: jusou!.id, personId: p1.id, planId: plan1!.id, reason: "evaluation" });

    const made = [p1, p2, p3, p4, p5, p6].map((p) => p.caseNumber);
    await recordAudit(tx, { action: "person.create", recordType: "person", recordId: made.join(","), purpose: "デモデータの作成 (npm run seed:demo)" });
    return made;
  });
}
