// Meeting rules: 支援会議 shares cases without consent but only after the pledge; 重層的支援会議 only
// with 同意; members only, agenda only; initials + case number for viewers not otherwise authorised.
import { describe, expect, test } from "vitest";
import { initialsOf, mayPutOnAgenda, meetingCaseAccess, meetingCaseLabel, type ConsentState, type MeetingKind } from "../../app/meetings/rules";

const consents: (ConsentState | null)[] = ["agree", "disagree", "unknown", null];
const kinds: MeetingKind[] = ["support", "jusouteki"];

describe("meeting case access matrix", () => {
  for (const meetingKind of kinds) {
    for (const consent of consents) {
      for (const pledged of [true, false]) {
        const expected =
          meetingKind === "support" ? (pledged ? "visible" : "pledge-required") : consent === "agree" ? "visible" : "consent-required";
        test(`${meetingKind} × consent ${consent} × pledged ${pledged} → ${expected}`, () => {
          const access = meetingCaseAccess({ meetingKind, consent, isMember: true, pledged, onAgenda: true });
          expect(access.visible ? "visible" : access.reason).toBe(expected);
        });
      }
    }
  }

  test("non-members and cases not on the agenda are never visible", () => {
    expect(meetingCaseAccess({ meetingKind: "support", consent: "agree", isMember: false, pledged: true, onAgenda: true })).toEqual({ visible: false, reason: "not-member" });
    expect(meetingCaseAccess({ meetingKind: "support", consent: "agree", isMember: true, pledged: true, onAgenda: false })).toEqual({ visible: false, reason: "not-on-agenda" });
  });

  test("only 同意 cases may go on a 重層的支援会議 agenda; any case on a 支援会議", () => {
    expect(mayPutOnAgenda("jusouteki", "agree")).toBe(true);
    expect(mayPutOnAgenda("jusouteki", "unknown")).toBe(false);
    expect(mayPutOnAgenda("jusouteki", null)).toBe(false);
    expect(mayPutOnAgenda("support", "disagree")).toBe(true);
  });
});

describe("case labels in meeting views", () => {
  test.each([
    ["やまだ はなこ", "Y.H."],
    ["シミズ　タロウ", "S.T."],
    ["ちば ふみ", "C.F."],
    ["Suzuki Ken", "S.K."],
    ["", "—"],
    [null, "—"],
  ])("%s → %s", (kana, initials) => {
    expect(initialsOf(kana)).toBe(initials);
  });

  test("the name only for an authorised viewer", () => {
    const person = { caseNumber: "2026-0007", name: "山田 花子", nameKana: "やまだ はなこ" };
    expect(meetingCaseLabel(person, false)).toBe("Y.H.（2026-0007）");
    expect(meetingCaseLabel(person, true)).toBe("山田 花子（2026-0007）");
  });
});
