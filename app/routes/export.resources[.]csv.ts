// GET /export/resources.csv: the published directory as a 標準OD-style 公共施設一覧 CSV (the 24
// columns of the 推奨データセット + 種別, 日程_RRULE, 出典, ライセンス). UTF-8 with BOM by default;
// ?encoding=cp932 for older Excel. Characters CP932 cannot hold become 〓 and are reported in the
// X-Export-Unmappable-Count / X-Export-Unmappable headers (percent-encoded JSON of the first 50).
// ?kind= / ?area= filter as on /places. 400 with a Japanese message on bad parameters.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { encodeCsv, listExportResources } from "~/models/export.server";
import { exportHeaders, exportParamError } from "~/utils/export-response";
import { parseCsvExportQuery } from "~/utils/export-query";

export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = parseCsvExportQuery(new URL(request.url).searchParams);
  if (!parsed.ok) return exportParamError(parsed);
  const { encoding, kind, area } = parsed.data;
  const { bytes, unmappable } = encodeCsv(await listExportResources({ kind, area }), encoding);
  const headers = exportHeaders(
    `text/csv; charset=${encoding === "cp932" ? "Shift_JIS" : "utf-8"}`,
    encoding === "cp932" ? "resources-cp932.csv" : "resources.csv"
  );
  if (encoding === "cp932") {
    headers.set("X-Export-Unmappable-Count", String(unmappable.length));
    if (unmappable.length > 0) headers.set("X-Export-Unmappable", encodeURIComponent(JSON.stringify(unmappable.slice(0, 50))));
  }
  return new Response(bytes, { headers });
}
