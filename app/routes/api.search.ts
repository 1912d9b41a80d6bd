// GET /api/search: the directory search as JSON, for the map's 「このエリアで検索」 (a bbox) and
// 「現在地から探す」 (lat/lon, radius). Same filters as /places, validated by the same zod pieces.
//   200 { total, page, limit, hits: [{ id, name, kind, kindLabel, address, lat, lon,
//         distanceMeters, status, next }], facets? }      (facets only with facets=1)
//   400 { error: { message, messageEn } }   bad parameters, or a query the engine refuses
//   503 { error: { message, messageEn } }   the engine is down or too slow
// Every answer is `Cache-Control: no-store`: the results follow the live index (a place closed or
// corrected by staff must drop out at once), the next dates change by the minute, the engine
// answers in about a millisecond so a cache would save little, and map views are rarely
// repeated exactly, so a shared cache would mostly hold one-off entries.
// Hits carry public directory fields only; the index holds nothing about people.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { DirectorySearchError, directoryFilters, PLACES_FACETS, queryDirectory, toApiHit } from "~/models/directory.server";
import { effectiveSort } from "~/utils/places-query";
import { parseSearchApiQuery } from "~/utils/search-api-query";

const HEADERS = { "Cache-Control": "no-store" };

function failure(status: 400 | 503, message: string, messageEn = ""): Response {
  return Response.json({ error: { message, messageEn } }, { status, headers: HEADERS });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = parseSearchApiQuery(new URL(request.url).searchParams);
  if (!parsed.ok) return failure(400, parsed.message, parsed.messageEn);
  const { params } = parsed;
  const origin = params.lat !== undefined && params.lon !== undefined ? { lat: params.lat, lon: params.lon } : undefined;

  try {
    const result = await queryDirectory({
      text: params.q,
      filters: directoryFilters(params),
      facets: params.facets ? PLACES_FACETS : [],
      origin,
      radius: origin && params.radius !== undefined ? { center: origin, radiusMeters: params.radius } : undefined,
      boundingBox: params.bbox,
      sort: effectiveSort(params),
      offset: (params.page - 1) * params.limit,
      limit: params.limit,
    });
    const now = new Date();
    return Response.json(
      {
        total: result.total,
        page: params.page,
        limit: params.limit,
        hits: result.hits.map((hit) => toApiHit(hit, now)),
        ...(params.facets ? { facets: result.facets } : {}),
      },
      { headers: HEADERS }
    );
  } catch (error) {
    if (error instanceof DirectorySearchError) return failure(error.status, error.message, error.messageEn);
    throw error;
  }
}
