// Shared setup for the staff-side tests: form POSTs and GETs as the routes receive them, and an
// intake through the real action (so every case is created the way staff create it).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { expect } from "vitest";
import { ORIGIN, outcome, type signIn } from "../accounts/helpers";
import { action as intakeAction } from "~/routes/staff.people.new";

export type Session = Awaited<ReturnType<typeof signIn>>;

export const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} }) as unknown as ActionFunctionArgs & LoaderFunctionArgs;

/** A form POST that may repeat fields (checkbox groups). */
export function post(path: string, session: Session, fields: [string, string][]): Request {
  const body = new URLSearchParams([["csrf", session.csrf], ...fields]);
  return new Request(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: session.cookie },
    body: body.toString(),
  });
}

export function get(path: string, session: Session): Request {
  return new Request(`${ORIGIN}${path}`, { headers: { Cookie: session.cookie } });
}

/** A valid intake near 焼津駅 with consent 同意 unless overridden. */
export function intakeFields(overrides: Record<string, string> = {}): [string, string][] {
  return Object.entries({
    name: "焼津 花子",
    nameKana: "やいづ はなこ",
    birthYear: "1972",
    address: "静岡県焼津市本町1-1",
    area: "焼津市",
    latitude: "34.8672",
    longitude: "138.3240",
    phone: "",
    email: "",
    referredBy: "地域包括支援センター",
    householdMode: "none",
    householdCaseNumber: "",
    householdNote: "",
    consentState: "agree",
    consentDate: "2026-11-01",
    consentScope: "関係機関との情報共有",
    consentNote: "",
    ...overrides,
  });
}

/** Creates a case through the intake action and returns its case number. */
export async function createCase(session: Session, overrides: Record<string, string> = {}): Promise<string> {
  const result = await outcome(() => intakeAction(args(post("/staff/people/new", session, intakeFields(overrides)))));
  expect(result.status, JSON.stringify(result.data)).toBe(302);
  const caseNumber = /\/staff\/people\/(\d{4}-\d{4,})/.exec(result.headers.get("Location") ?? "")?.[1];
  expect(caseNumber).toBeTruthy();
  return caseNumber!;
}

/** A valid assessment form (someone who wants a 居場所, free on weekday mornings). */
export function assessmentFields(overrides: [string, string][] = []): [string, string][] {
  // A single-valued field in the overrides replaces the default; checkbox groups add to it.
  const lists = new Set(["interests", "wants", "targetGroups", "transport", "conditions"]);
  const replaced = new Set(overrides.map(([k]) => k).filter((k) => !lists.has(k)));
  const defaults: [string, string][] = [
    ["assessedOn", "2026-11-10"],
    ["interests", "talking"],
    ["interests", "cooking"],
    ["wants", "ibasho"],
    ["wants", "koryu"],
    ["avail.MO.from", "09:00"],
    ["avail.MO.to", "17:00"],
    ["avail.TU.from", "09:00"],
    ["avail.TU.to", "17:00"],
    ["avail.WE.from", "09:00"],
    ["avail.WE.to", "17:00"],
    ["avail.TH.from", "09:00"],
    ["avail.TH.to", "17:00"],
    ["avail.FR.from", "09:00"],
    ["avail.FR.to", "17:00"],
    ["transport", "bus"],
    ["maxDistanceKm", "10"],
    ["conditions", "firstTimeFriendly"],
    ["shortTermGoal", "週1回、家の外で過ごす"],
  ];
  return [...defaults.filter(([k]) => !replaced.has(k)), ...overrides];
}
