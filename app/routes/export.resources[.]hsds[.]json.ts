// GET /export/resources.hsds.json: the published directory as HSDS 3.0 JSON (organization,
// service, location, service_at_location, schedule with freq/byday/bymonthday and the RRULE),
// each service carrying its source's attribution. ?kind= / ?area= filter.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { listExportResources, toHsds } from "~/models/export.server";
import { exportHeaders, exportParamError } from "~/utils/export-response";
import { parseExportFilters } from "~/utils/export-query";

export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = parseExportFilters(new URL(request.url).searchParams);
  if (!parsed.ok) return exportParamError(parsed);
  const body = JSON.stringify(toHsds(await listExportResources(parsed.data)), null, 1);
  return new Response(body, { headers: exportHeaders("application/json; charset=utf-8", "resources.hsds.json") });
}
