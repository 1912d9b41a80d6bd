// `/about`: where the directory's data comes from and under which licences, read from the
// sources table, plus the credits for the map tiles, the outline of Japan and the map library.
import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/ErrorPage";
import { listSourcesWithCounts } from "~/models/resource.server";
import { formatLongDate, safeExternalUrl } from "~/utils/format";
import { pageTitle } from "~/utils/site";

export async function loader() {
  const sources = await listSourcesWithCounts();
  return {
    sources: sources.map((source) => ({
      id: source.id,
      publisher: source.publisher,
      dataset: source.dataset,
      licence: source.licence,
      licenceUrl: safeExternalUrl(source.licenceUrl),
      attribution: source.attribution,
      sourceUrl: safeExternalUrl(source.sourceUrl),
      importedOn: source.importedAt ? formatLongDate(new Date(source.importedAt).toISOString()) : null,
      resourceCount: Number(source.resourceCount),
    })),
  };
}

export default function AboutPage() {
  const { sources } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>データの出典とライセンス</h1>
      <p>
        このポータルに掲載している場所の情報は、次の自治体などが公開しているオープンデータを、種類の分類や表記の整理などの加工をして作成しています。
        提供元がこのポータルを推奨しているものではありません。
      </p>
      <p>
        情報は変わることがあります。お出かけの前に、各施設や主催者に電話などで最新の情報をご確認ください。
        各ページの「最終確認日」は、掲載内容を関係者が確認した日です（「未確認」は公開データから取り込んだままの情報です）。
      </p>

      <h2>掲載データの出典</h2>
      {sources.length === 0 ? (
        <p>現在、取り込んだオープンデータはありません。</p>
      ) : (
        <ul className="source-list">
          {sources.map((source) => (
            <li key={source.id}>
              <h3>
                {source.publisher}「{source.dataset}」
              </h3>
              <p>{source.attribution}</p>
              <p>
                ライセンス：
                {source.licenceUrl ? <a href={source.licenceUrl}>{source.licence}</a> : source.licence}
              </p>
              {source.sourceUrl ? (
                <p>
                  入手先：<a href={source.sourceUrl}>{source.sourceUrl}</a>
                </p>
              ) : null}
              <p>
                掲載件数：{source.resourceCount.toLocaleString("ja-JP")}件
                {source.importedOn ? `（${source.importedOn}に取り込み）` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}

      <h2>地図</h2>
      <ul className="link-list">
        <li>
          背景地図：<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>（国土地理院）
        </li>
        <li>
          地図の画像を読み込めないときに表示する日本の輪郭：
          <a href="https://www.naturalearthdata.com/">Natural Earth</a>（パブリックドメイン）のデータを world-atlas
          パッケージ経由で使用しています。
        </li>
        <li>
          地図の表示：<a href="https://leafletjs.com/">Leaflet</a>（BSD-2-Clause）、Leaflet.markercluster（MIT）
        </li>
      </ul>

      <h2>個人の情報について</h2>
      <p>
        このポータルの公開ページや検索には、支援を受けている方など個人の情報は一切含まれていません。
        「現在地から近い順に並べる」を使ったときも、現在地はおよそ100メートル単位に丸めて検索にだけ使い、保存しません。
      </p>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("データの出典とライセンス") }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
