// GET /api/resources: the published directory as JSON, page by page, for other services and
// municipal systems (issue 5 §6). Described in /api/openapi.json.
//   ?page=1..10000 (default 1) &limit=1..100 (default 20) &kind=<code> (repeatable) &area=<text> (repeatable)
//   200 { total, page, limit, items: [...] , attribution }
//   400 { error: { message, messageEn } }   bad parameters (the message is Japanese)
// Only published entries, only directory fields: nothing about people.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { pageExportResources, toApiResource } from "~/models/export.server";
import { parseResourcesApiQuery } from "~/utils/export-query";

const HEADERS = { "Cache-Control": "public, max-age=60", "Access-Control-Allow-Origin": "*" };

export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = parseResourcesApiQuery(new URL(request.url).searchParams);
  if (!parsed.ok) {
    return Response.json(
      { error: { message: parsed.message, messageEn: parsed.messageEn } },
      { status: 400, headers: { "Cache-Control": "no-store" } }
    );
  }
  const { page, limit, kind, area } = parsed.data;
  const { total, items } = await pageExportResources({ page, limit, kind, area });
  const list = items.map(toApiResource);
  return Response.json(
    { total, page, limit, items: list, attribution: [...new Set(list.map((item) => item.attribution.text))] },
    { headers: HEADERS }
  );
}
