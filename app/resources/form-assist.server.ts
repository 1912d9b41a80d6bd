// The registration form's helper posts (the no-JavaScript path): 「住所から位置を調べる」 and
// 「プレビュー」 come back as the same form, filled in and not saved. Every post, saving or not,
// also fills prefecture and municipality from the postal code where they were left empty.
import type { Database } from "../../db/client.server";
import { geocodeForUser } from "~/geocoder/geocoder.server";
import { resourceFormInput } from "~/utils/resource-form";
import { addressForGeocoding, fillFromPostalCode, geocodedMessage } from "./location";
import type { FormAssist } from "./ResourceForm";

export const ASSIST_INTENTS = ["geocode", "preview"] as const;
export type AssistIntent = (typeof ASSIST_INTENTS)[number];

export function isAssistIntent(value: unknown): value is AssistIntent {
  return typeof value === "string" && (ASSIST_INTENTS as readonly string[]).includes(value);
}

/** The posted form as the schema reads it, with the postal code's address filled in. */
export function postedResourceForm(form: FormData): { input: Record<string, unknown>; postal: string | null } {
  const { input, filled } = fillFromPostalCode(resourceFormInput(form));
  const parts = filled.map((f) => (f === "town" ? input.addressLine : input[f])).filter((v): v is string => typeof v === "string");
  return { input, postal: parts.length > 0 ? `郵便番号から「${parts.join("")}」を入れました。` : null };
}

/** Runs a helper intent: looks the address up (filling latitude and longitude) or only re-renders. */
export async function assistResourceForm(
  db: Database,
  { userId, intent, input, postal, now }: { userId: number; intent: AssistIntent; input: Record<string, unknown>; postal: string | null; now: Date },
): Promise<{ values: Record<string, unknown>; assist: FormAssist }> {
  if (intent === "preview") return { values: input, assist: { intent, postal } };
  const outcome = await geocodeForUser(db, { userId, address: addressForGeocoding(input), now });
  if (outcome.kind !== "found") return { values: input, assist: { intent, postal, geocode: { ok: false, message: outcome.message } } };
  return {
    values: { ...input, latitude: String(outcome.lat), longitude: String(outcome.lon) },
    assist: { intent, postal, geocode: { ok: true, message: geocodedMessage(outcome.title) } },
  };
}
