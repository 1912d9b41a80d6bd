// GET /api/openapi.json: an OpenAPI 3.1 description of the public JSON API and the downloads.
import { RESOURCE_KIND_CODES } from "../../db/vocabulary";
import { API_DEFAULT_LIMIT, API_MAX_LIMIT, API_MAX_PAGE } from "~/utils/export-query";
import { SITE_NAME } from "~/utils/site";

const errorResponse = {
  description: "パラメータの誤り（message は日本語）",
  content: {
    "application/json": {
      schema: {
        type: "object",
        properties: { error: { type: "object", properties: { message: { type: "string" }, messageEn: { type: "string" } } } },
        required: ["error"],
      },
    },
  },
};
const kindParam = {
  name: "kind",
  in: "query",
  description: "種類のコード（繰り返し可）",
  schema: { type: "array", items: { type: "string", enum: RESOURCE_KIND_CODES } },
  style: "form",
  explode: true,
};
const areaParam = {
  name: "area",
  in: "query",
  description: "地域（市区町村名など、繰り返し可）",
  schema: { type: "array", items: { type: "string", maxLength: 50 } },
  style: "form",
  explode: true,
};
const filters = [kindParam, areaParam];
const download = (type: string, description: string) => ({
  description,
  headers: { "Content-Disposition": { schema: { type: "string" }, description: "attachment; filename=…" } },
  content: { [type]: { schema: type === "text/csv" ? { type: "string" } : { type: "object" } } },
});

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: `${SITE_NAME} API`,
      version: "1.0.0",
      description:
        "掲載中（公開済み）の地域資源を返します。各項目には出典（オープンデータの提供元とライセンス）が付きます。個人に関する情報は含みません。",
    },
    paths: {
      "/api/resources": {
        get: {
          summary: "地域資源の一覧（ページ送り）",
          parameters: [
            { name: "page", in: "query", schema: { type: "integer", minimum: 1, maximum: API_MAX_PAGE, default: 1 } },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: API_MAX_LIMIT, default: API_DEFAULT_LIMIT } },
            ...filters,
          ],
          responses: {
            "200": {
              description: "一覧",
              content: { "application/json": { schema: { $ref: "#/components/schemas/ResourcePage" } } },
            },
            "400": errorResponse,
          },
        },
      },
      "/api/search": {
        get: {
          summary: "キーワード・地図範囲・現在地からの検索（/places と同じ条件）",
          parameters: [
            { name: "q", in: "query", schema: { type: "string", maxLength: 200 } },
            ...filters,
            { name: "page", in: "query", schema: { type: "integer", minimum: 1 } },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1 } },
            { name: "lat", in: "query", schema: { type: "number" } },
            { name: "lon", in: "query", schema: { type: "number" } },
            { name: "radius", in: "query", schema: { type: "number" }, description: "メートル" },
            { name: "bbox", in: "query", schema: { type: "string" }, description: "南端緯度,西端経度,北端緯度,東端経度" },
            { name: "sort", in: "query", schema: { type: "string", enum: ["relevance", "distance", "name"] } },
            { name: "facets", in: "query", schema: { type: "string", enum: ["1"] } },
          ],
          responses: {
            "200": { description: "検索結果", content: { "application/json": { schema: { type: "object" } } } },
            "400": errorResponse,
            "503": { description: "検索エンジンが応答しない" },
          },
        },
      },
      "/export/resources.csv": {
        get: {
          summary: "標準オープンデータ（公共施設一覧）形式の CSV",
          parameters: [
            ...filters,
            {
              name: "encoding",
              in: "query",
              schema: { type: "string", enum: ["utf-8", "cp932"], default: "utf-8" },
              description: "utf-8 は BOM 付き。cp932 で表せない文字は〓に置き換え、X-Export-Unmappable ヘッダーで報告します。",
            },
          ],
          responses: { "200": download("text/csv", "CSV（出典列つき）"), "400": errorResponse },
        },
      },
      "/export/resources.hsds.json": {
        get: {
          summary: "HSDS 3.0 JSON（organization / service / location / service_at_location / schedule）",
          parameters: filters,
          responses: { "200": download("application/json", "HSDS 3.0"), "400": errorResponse },
        },
      },
      "/export/resources.geojson": {
        get: {
          summary: "GeoJSON FeatureCollection（座標のある資源）",
          parameters: filters,
          responses: { "200": download("application/geo+json", "GeoJSON"), "400": errorResponse },
        },
      },
    },
    components: {
      schemas: {
        ResourcePage: {
          type: "object",
          required: ["total", "page", "limit", "items"],
          properties: {
            total: { type: "integer" },
            page: { type: "integer" },
            limit: { type: "integer" },
            attribution: { type: "array", items: { type: "string" } },
            items: { type: "array", items: { $ref: "#/components/schemas/Resource" } },
          },
        },
        Resource: {
          type: "object",
          required: ["id", "name", "kind", "schedules", "attribution"],
          properties: {
            id: { type: "integer" },
            name: { type: "string" },
            nameKana: { type: ["string", "null"] },
            kind: { type: "string", enum: RESOURCE_KIND_CODES },
            kindLabel: { type: "string" },
            latitude: { type: ["number", "null"] },
            longitude: { type: ["number", "null"] },
            address: { type: "object" },
            phone: { type: ["string", "null"] },
            status: { type: "string", enum: ["active", "paused", "closed"] },
            schedules: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  rrule: { type: "string", description: "RFC 5545 RRULE（DTSTART なし）" },
                  startsOn: { type: "string", format: "date" },
                  startTime: { type: ["string", "null"] },
                  endTime: { type: ["string", "null"] },
                  exceptionDates: { type: "array", items: { type: "string", format: "date" } },
                  text: { type: "string" },
                },
              },
            },
            attribution: {
              type: "object",
              properties: {
                text: { type: "string" },
                licence: { type: ["string", "null"] },
                licenceUrl: { type: ["string", "null"] },
                sourceUrl: { type: ["string", "null"] },
              },
            },
          },
        },
      },
    },
  };
}

export function loader() {
  return Response.json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*" } });
}
