// GET /manage/geocode?address=…: the registration form's 「住所から位置を調べる」 with JavaScript.
// Coordinators only, counted per user (GEOCODE_LIMIT), and only the address is passed on to the
// configured geocoder (GEOCODER_URL). Without JavaScript the form posts the same look-up.
//   200 { ok: true, lat, lon, title }
//   400 / 404 / 429 / 502 / 503 { ok: false, message }   (empty address, nothing found, too many
//   look-ups, the service failed, no geocoder configured), message in Japanese
import type { LoaderFunctionArgs } from "@remix-run/node";
import { geocodeForUser } from "~/geocoder/geocoder.server";
import { requireUser } from "~/utils/auth.server";
import { getDatabase } from "~/utils/db.server";

const HEADERS = { "Cache-Control": "no-store" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, { permission: "create:resource", context });
  const address = new URL(request.url).searchParams.get("address") ?? "";
  const { db } = await getDatabase();
  const outcome = await geocodeForUser(db, { userId: auth.user.id, address, now: new Date() });
  if (outcome.kind === "found") {
    return Response.json({ ok: true, lat: outcome.lat, lon: outcome.lon, title: outcome.title }, { headers: HEADERS });
  }
  return Response.json({ ok: false, message: outcome.message }, { status: outcome.status, headers: HEADERS });
}
