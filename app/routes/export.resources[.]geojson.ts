// GET /export/resources.geojson: published resources that have coordinates as a GeoJSON
// FeatureCollection (RFC 7946, [longitude, latitude]); every feature carries its attribution.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { listExportResources, toGeoJson } from "~/models/export.server";
import { exportHeaders, exportParamError } from "~/utils/export-response";
import { parseExportFilters } from "~/utils/export-query";

export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = parseExportFilters(new URL(request.url).searchParams);
  if (!parsed.ok) return exportParamError(parsed);
  const body = JSON.stringify(toGeoJson(await listExportResources(parsed.data)));
  return new Response(body, { headers: exportHeaders("application/geo+json; charset=utf-8", "resources.geojson") });
}
