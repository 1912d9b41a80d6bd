// `/places/:id`: everything a resident needs to go — what happens, for whom, when (rule and next
// dates), cost, conditions, where, whom to call — and the source credit its licence requires.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { conditionLabel, kindLabel, statusLabel, targetGroupLabel } from "../../db/vocabulary";
import { errorPageTitle, GeneralErrorBoundary } from "~/components/ErrorPage";
import { mapLinks, ResultsMap } from "~/components/ResultsMap";
import { isStale } from "~/models/resource-editor.server";
import { getPublicResource } from "~/models/resource.server";
import { formatAddress, formatCost, formatLongDate, formatPostalCode, safeExternalUrl, telHref } from "~/utils/format";
import { describeSchedules, groupSchedulesByRule, nextOccurrencesOfAll } from "~/utils/schedule";
import { pageTitle } from "~/utils/site";

export const links = mapLinks;

const NEXT_DATES = 3;

function notFound(): never {
  throw data(
    { message: "お探しの場所は見つかりませんでした。掲載が終わったか、アドレスが違う可能性があります。" },
    { status: 404 }
  );
}

export async function loader({ params }: LoaderFunctionArgs) {
  const id = /^[1-9]\d{0,8}$/.test(params.id ?? "") ? Number(params.id) : null;
  if (id === null) notFound();
  const resource = await getPublicResource({ id });
  if (!resource) notFound();

  const now = new Date();
  const hasLocation = resource.latitude !== null && resource.longitude !== null;
  return {
    place: {
      id: resource.id,
      name: resource.name,
      nameKana: resource.nameKana,
      kind: kindLabel(resource.kind),
      isConsultation: resource.kind === "consultation",
      status: resource.status,
      description: resource.description,
      activities: resource.activities,
      services: resource.services.filter((s) => s !== kindLabel(resource.kind)),
      targetGroups: resource.targetGroups.map(targetGroupLabel),
      conditions: resource.conditions.map(conditionLabel),
      cost: formatCost(resource),
      capacity: resource.capacity,
      postalCode: formatPostalCode(resource.postalCode),
      address: formatAddress(resource),
      accessNote: resource.accessNote,
      location: hasLocation ? { lat: resource.latitude as number, lon: resource.longitude as number } : null,
      operator: resource.operator,
      phone: resource.phone,
      phoneHref: telHref(resource.phone),
      email: resource.email && /^[^\s@<>]+@[^\s@<>]+$/.test(resource.email) ? resource.email : null,
      url: safeExternalUrl(resource.url),
      hoursNote: resource.hoursNote,
      lastVerified: formatLongDate(resource.lastVerifiedOn),
      stale: isStale(resource.lastVerifiedOn, now),
      sourceNote: resource.sourceNote,
      sample: resource.sample,
    },
    // A morning and an afternoon session on the same days read as one rule with two times.
    schedules: groupSchedulesByRule(resource.schedules).map((group) => ({
      rule: describeSchedules(group) ?? "",
      next: nextOccurrencesOfAll(group, now, NEXT_DATES),
      notes: [...new Set(group.map((s) => s.note).filter((note): note is string => Boolean(note)))],
    })),
    source: resource.source
      ? {
          ...resource.source,
          licenceUrl: safeExternalUrl(resource.source.licenceUrl),
          sourceUrl: safeExternalUrl(resource.source.sourceUrl),
        }
      : null,
  };
}

export default function PlacePage() {
  const { place, schedules, source } = useLoaderData<typeof loader>();
  const nearbyHref = place.location
    ? `/places?lat=${place.location.lat.toFixed(5)}&lon=${place.location.lon.toFixed(5)}&sort=distance`
    : null;

  return (
    <article>
      <p className="back-link no-print">
        <Link to="/places">← 場所をさがす</Link>
      </p>
      <header className="place-header">
        {place.nameKana ? (
          <p className="reading">
            <span className="visually-hidden">ふりがな：</span>
            {place.nameKana}
          </p>
        ) : null}
        <h1>{place.name}</h1>
        <p className="result__meta">
          <span className="kind-label">{place.kind}</span>
          <span className={`badge badge--${place.status}`}>{statusLabel(place.status)}</span>
          {place.sample ? <span className="badge badge--sample">サンプル</span> : null}
        </p>
      </header>

      {place.sample ? <p className="place-notice">この場所はサンプルデータ（架空の場所）です。実在しません。</p> : null}

      {place.status === "paused" ? (
        <p className="place-notice">現在、活動を休止しています。再開の予定はお問い合わせください。</p>
      ) : null}
      {place.status === "closed" ? (
        <p className="place-notice place-notice--closed">
          この場所は閉鎖されました。下の情報は記録として残しています。
        </p>
      ) : null}
      {place.stale ? <p className="place-notice">この情報は1年以上確認されていません。お出かけの前に連絡先へお問い合わせください。</p> : null}

      <div className="place-layout">
        <div>
          {place.description || place.activities.length > 0 || place.services.length > 0 ? (
            <section className="place-section" aria-labelledby="what-heading">
              <h2 id="what-heading">{place.isConsultation ? "相談できること" : "どんなところ"}</h2>
              {place.description ? <p>{place.description}</p> : null}
              {place.activities.length > 0 ? (
                <>
                  <h3>主な活動</h3>
                  <ul>
                    {place.activities.map((activity) => (
                      <li key={activity}>{activity}</li>
                    ))}
                  </ul>
                </>
              ) : null}
              {place.services.length > 0 ? (
                <>
                  <h3>サービスの種類</h3>
                  <ul className="tag-list">
                    {place.services.map((service) => (
                      <li key={service}>{service}</li>
                    ))}
                  </ul>
                </>
              ) : null}
            </section>
          ) : null}

          <section className="place-section" aria-labelledby="when-heading">
            <h2 id="when-heading">{place.isConsultation ? "受付日時" : "日時"}</h2>
            {schedules.map((schedule, i) => (
              <div className="schedule" key={i}>
                <p className="schedule__rule">{schedule.rule}</p>
                {schedule.next.length > 0 ? (
                  <p className="schedule__dates">
                    次回の予定：
                    {schedule.next.map((o, j) => (
                      <span key={o.date}>
                        {j > 0 ? "、" : ""}
                        <time dateTime={o.date}>{o.label}</time>
                      </span>
                    ))}
                  </p>
                ) : null}
                {schedule.notes.map((note) => (
                  <p key={note}>{note}</p>
                ))}
              </div>
            ))}
            {place.hoursNote ? <p>{place.hoursNote}</p> : null}
            {schedules.length === 0 && !place.hoursNote ? <p>日時の情報はありません。お問い合わせください。</p> : null}
            {schedules.length > 0 ? <p className="result__distance">祝日や行事で変わることがあります。</p> : null}
          </section>

          <section className="place-section" aria-labelledby="who-heading">
            <h2 id="who-heading">参加について</h2>
            <dl className="facts">
              <dt>どなた向け</dt>
              <dd>
                {place.targetGroups.length > 0 ? place.targetGroups.join("、") : "掲載なし（お問い合わせください）"}
              </dd>
              <dt>費用</dt>
              <dd>{place.cost}</dd>
              {place.capacity !== null ? (
                <>
                  <dt>定員</dt>
                  <dd>{place.capacity}人</dd>
                </>
              ) : null}
              <dt>参加の条件・配慮</dt>
              <dd>
                {place.conditions.length > 0 ? (
                  <ul className="tag-list">
                    {place.conditions.map((condition) => (
                      <li key={condition}>{condition}</li>
                    ))}
                  </ul>
                ) : (
                  "掲載なし（見学や体験ができるかはお問い合わせください）"
                )}
              </dd>
            </dl>
          </section>

          <section className="place-section" aria-labelledby="contact-heading">
            <h2 id="contact-heading">問い合わせ先</h2>
            <dl className="facts">
              {place.operator ? (
                <>
                  <dt>運営</dt>
                  <dd>{place.operator}</dd>
                </>
              ) : null}
              <dt>電話</dt>
              <dd>
                {place.phone && place.phoneHref ? (
                  <a className="phone-link" href={place.phoneHref}>
                    {place.phone}
                  </a>
                ) : (
                  place.phone ?? "掲載なし"
                )}
              </dd>
              {place.email ? (
                <>
                  <dt>メール</dt>
                  <dd>
                    <a href={`mailto:${place.email}`}>{place.email}</a>
                  </dd>
                </>
              ) : null}
              {place.url ? (
                <>
                  <dt>ホームページ</dt>
                  <dd>
                    <a href={place.url} rel="noopener noreferrer">
                      {place.url}
                    </a>
                  </dd>
                </>
              ) : null}
              <dt>最終確認日</dt>
              <dd>{place.lastVerified ?? "未確認"}</dd>
            </dl>
          </section>
        </div>

        <div>
          <section className="place-section" aria-labelledby="where-heading">
            <h2 id="where-heading">場所</h2>
            <p>
              {place.postalCode ? (
                <>
                  {place.postalCode}
                  <br />
                </>
              ) : null}
              {place.address || "住所の掲載はありません"}
            </p>
            {place.accessNote ? <p>{place.accessNote}</p> : null}
            {place.location ? (
              <>
                <ResultsMap
                  single
                  label={`${place.name}の地図`}
                  places={[
                    {
                      id: place.id,
                      name: place.name,
                      lat: place.location.lat,
                      lon: place.location.lon,
                      kindLabel: place.kind,
                      address: place.address,
                    },
                  ]}
                />
                <ul className="link-list no-print">
                  <li>
                    <a
                      href={`https://maps.gsi.go.jp/#16/${place.location.lat.toFixed(6)}/${place.location.lon.toFixed(
                        6
                      )}/`}
                      rel="noopener noreferrer"
                    >
                      地理院地図で場所を見る（外部サイト）
                    </a>
                  </li>
                  {nearbyHref ? (
                    <li>
                      <Link to={nearbyHref}>この近くの場所をさがす</Link>
                    </li>
                  ) : null}
                </ul>
              </>
            ) : (
              <p>地図に表示できる位置情報はありません。</p>
            )}
          </section>

          <section className="attribution" aria-labelledby="source-heading">
            <h2 id="source-heading">この情報の出典</h2>
            {source ? (
              <>
                <p>{source.attribution}</p>
                {place.sourceNote ? <p>{place.sourceNote}</p> : null}
                <p>
                  提供：{source.publisher}「
                  {source.sourceUrl ? <a href={source.sourceUrl}>{source.dataset}</a> : source.dataset}」
                </p>
                <p>
                  ライセンス：
                  {source.licenceUrl ? <a href={source.licenceUrl}>{source.licence}</a> : source.licence}
                </p>
                <p>内容は当ポータルで加工・整理しています。提供元がこのポータルを推奨しているものではありません。</p>
              </>
            ) : (
              <p>この情報は、地域の関係者が登録したものです。</p>
            )}
            <p>
              <Link to={`/places/${place.id}/report`}>情報の修正を報告</Link>
            </p>
            <p>
              <Link to="/about">データの出典とライセンスについて</Link>
            </p>
          </section>
        </div>
      </div>
    </article>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data: loaderData, error }) => {
  if (error || !loaderData) return [{ title: pageTitle(errorPageTitle(error)) }];
  const { place } = loaderData;
  return [
    { title: pageTitle(`${place.name}（${place.kind}）`) },
    {
      name: "description",
      content: [place.kind, place.address, place.description].filter(Boolean).join("／").slice(0, 160),
    },
  ];
};

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
