// Drafts are checked with zod before they reach the database; a bad one becomes a reported skip.
import { expect, test } from "vitest";
import { cleanResourceName, statusFromWords, targetGroupsFor, validateDraft, type ResourceDraft } from "../../app/import/resource-draft";

function draft(overrides: Partial<ResourceDraft["resource"]>): ResourceDraft {
  return {
    sourceRowId: "1",
    row: 7,
    schedules: [],
    resource: {
      name: "テスト食堂",
      nameKana: null,
      kind: "kodomo_shokudo",
      services: [],
      description: null,
      activities: [],
      targetGroups: ["youth"],
      conditions: [],
      costKind: "unknown",
      costYen: null,
      costNote: null,
      capacity: null,
      postalCode: null,
      prefecture: "東京都",
      city: "練馬区",
      addressLine: null,
      building: null,
      latitude: null,
      longitude: null,
      area: "練馬区",
      operator: null,
      phone: null,
      email: null,
      url: null,
      hoursNote: null,
      accessNote: null,
      status: "active",
      lastVerifiedOn: null,
      sourceNote: null,
      ...overrides,
    },
  };
}

test("a valid draft passes, an invalid one is reported with its row and the fields at fault", () => {
  expect(validateDraft(draft({}))).toBeNull();
  expect(validateDraft(draft({ email: "not an address", url: "javascript:alert(1)" }))).toEqual({
    row: 7,
    reason: "値が不正（email, url）",
    detail: "テスト食堂",
  });
});

test("status and name markers", () => {
  expect(statusFromWords(["(※休止)デイサービスゆうあい"])).toBe("paused");
  expect(statusFromWords(["うさぎワンダーワールド(令和4年8月閉店)"])).toBe("closed");
  expect(statusFromWords(["令和5年3月をもって活動を終了"])).toBe("closed");
  expect(statusFromWords(["お盆、お正月は休み"])).toBe("active");
  expect(cleanResourceName("(※休止)デイサービスゆうあい")).toBe("デイサービスゆうあい");
  expect(cleanResourceName("(対象外)医療法人社団峻凌会 やきつべの径診療所")).toBe("医療法人社団峻凌会 やきつべの径診療所");
});

test("target groups follow the kind and the row's own words", () => {
  expect(targetGroupsFor("kodomo_shokudo", ["こども・おとな食堂", "どなたでも"])).toEqual(["youth", "anyone"]);
  expect(targetGroupsFor("kodomo_shokudo", ["ひとり親家庭"])).toEqual(["youth", "hardship"]);
  expect(targetGroupsFor("consultation", ["下松市地域包括支援センター"])).toEqual(["elderly"]);
  expect(targetGroupsFor("after_school", ["放課後等デイサービス くれよん"])).toEqual(["disability", "youth"]);
});
