// Address → coordinates for the registration form, behind one small interface. The one
// implementation speaks the format of 国土地理院's address search (GET `?q=<address>` answering a
// GeoJSON-like array); the endpoint is the GEOCODER_URL setting, unset = no geocoder. Only the
// address text leaves the server: no cookies, no user, no referrer. Every failure (timeout, HTTP
// error, unreadable JSON, a point outside Japan) becomes a Japanese message, never an exception.
import { z } from "zod";
import type { Database } from "../../db/client.server";
import { getEnv } from "~/utils/env.server";
import { countAttempt, type Limit } from "~/utils/rate-limit.server";
import { JAPAN_BOUNDS } from "~/utils/resource-form";

export interface GeocodedPoint {
  lat: number;
  lon: number;
  /** The address as the service understood it (「静岡県焼津市本町二丁目」). */
  title: string;
}

export type GeocodeOutcome =
  | ({ kind: "found" } & GeocodedPoint)
  | { kind: "not-found"; message: string }
  | { kind: "error"; message: string };

export interface Geocoder {
  geocodeAddress(address: string): Promise<GeocodeOutcome>;
}

/** Long enough for a slow answer over the internet; short enough that a form post does not hang. */
export const GEOCODER_TIMEOUT_MS = 3_000;
export const GEOCODE_ADDRESS_MAX_CHARS = 200;
/** Answers larger than this are not address search results. */
const MAX_RESPONSE_BYTES = 1_000_000;

export const GEOCODE_MESSAGES = {
  empty: "住所を入力してから「住所から位置を調べる」を押してください",
  tooLong: `住所は${GEOCODE_ADDRESS_MAX_CHARS}文字以内で入力してください`,
  notFound: "この住所の位置が見つかりませんでした。地図をクリックしてピンを置くか、緯度・経度を入力してください",
  unavailable: "位置を調べるサービスに接続できませんでした。地図をクリックしてピンを置くか、緯度・経度を入力してください",
  disabled: "住所から位置を調べる機能は設定されていません。地図をクリックしてピンを置くか、緯度・経度を入力してください",
  limited: "短い時間に何度も調べたため、しばらく使えません。地図でピンを置いてください",
} as const;

const FeatureSchema = z.object({
  geometry: z.object({ coordinates: z.tuple([z.number(), z.number()]).rest(z.number()) }),
  properties: z.object({ title: z.string().max(500).optional() }).optional(),
});
const AnswerSchema = z.array(z.unknown());

const inJapan = (lat: number, lon: number) =>
  Number.isFinite(lat) && Number.isFinite(lon) && lat >= JAPAN_BOUNDS.minLat && lat <= JAPAN_BOUNDS.maxLat && lon >= JAPAN_BOUNDS.minLon && lon <= JAPAN_BOUNDS.maxLon;

/** The address as sent: NFKC, one line, no surrounding spaces. */
export function normalizeAddressQuery(address: string): string {
  return address.normalize("NFKC").replace(/\s+/g, " ").trim();
}

/** A client for an endpoint in the format of 国土地理院's address search. */
export function createGsiGeocoder({ url, timeoutMs = GEOCODER_TIMEOUT_MS, fetchImpl = fetch }: { url: string; timeoutMs?: number; fetchImpl?: typeof fetch }): Geocoder {
  return {
    async geocodeAddress(address) {
      const query = normalizeAddressQuery(address);
      if (query === "") return { kind: "not-found", message: GEOCODE_MESSAGES.empty };
      const target = new URL(url);
      target.search = new URLSearchParams({ q: query }).toString();
      let body: unknown;
      try {
        const response = await fetchImpl(target, {
          method: "GET",
          headers: { Accept: "application/json" },
          redirect: "error",
          referrerPolicy: "no-referrer",
          credentials: "omit",
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!response.ok) {
          await response.body?.cancel().catch(() => {});
          return { kind: "error", message: GEOCODE_MESSAGES.unavailable };
        }
        const text = await response.text();
        if (text.length > MAX_RESPONSE_BYTES) return { kind: "error", message: GEOCODE_MESSAGES.unavailable };
        body = JSON.parse(text);
      } catch {
        // Timeout, refused connection, a redirect, or a body that is not JSON.
        return { kind: "error", message: GEOCODE_MESSAGES.unavailable };
      }
      const list = AnswerSchema.safeParse(body);
      if (!list.success) return { kind: "error", message: GEOCODE_MESSAGES.unavailable };
      for (const item of list.data) {
        const feature = FeatureSchema.safeParse(item);
        if (!feature.success) continue;
        const [lon, lat] = feature.data.geometry.coordinates;
        if (!inJapan(lat, lon)) continue;
        return { kind: "found", lat, lon, title: feature.data.properties?.title?.trim() || query };
      }
      return { kind: "not-found", message: GEOCODE_MESSAGES.notFound };
    },
  };
}

/** The configured geocoder, or null when GEOCODER_URL is unset. */
export function configuredGeocoder(): Geocoder | null {
  const url = getEnv().GEOCODER_URL;
  return url ? createGsiGeocoder({ url }) : null;
}

/** Look-ups per signed-in user: plenty for typing addresses, too few to use the portal as a proxy. */
export const GEOCODE_LIMIT: Limit = { name: "geocode:user", max: 30, windowMs: 10 * 60 * 1000 };

/**
 * What the form and `/manage/geocode` call: checks the text, counts the user's look-ups and asks
 * the configured geocoder. Coordinates come back rounded to 6 decimals (about 10 cm).
 */
export async function geocodeForUser(
  db: Database,
  { userId, address, now, geocoder = configuredGeocoder() }: { userId: number; address: string; now: Date; geocoder?: Geocoder | null },
): Promise<GeocodeOutcome & { status: number }> {
  const query = normalizeAddressQuery(address);
  if (query === "") return { kind: "not-found", message: GEOCODE_MESSAGES.empty, status: 400 };
  if (Array.from(query).length > GEOCODE_ADDRESS_MAX_CHARS) return { kind: "not-found", message: GEOCODE_MESSAGES.tooLong, status: 400 };
  if (!geocoder) return { kind: "error", message: GEOCODE_MESSAGES.disabled, status: 503 };
  const attempt = await countAttempt(db, GEOCODE_LIMIT, `user:${userId}`, now);
  if (attempt.limited) return { kind: "error", message: GEOCODE_MESSAGES.limited, status: 429 };
  const outcome = await geocoder.geocodeAddress(query);
  if (outcome.kind !== "found") return { ...outcome, status: outcome.kind === "not-found" ? 404 : 502 };
  const round = (n: number) => Math.round(n * 1e6) / 1e6;
  return { ...outcome, lat: round(outcome.lat), lon: round(outcome.lon), status: 200 };
}
