// Pieces every staff page uses: the stylesheet links, the staff navigation, consent and status
// badges, and the 404 thrown for a person who is not visible (same answer as a missing one).
import { data } from "@remix-run/node";
import { NavLink } from "@remix-run/react";
import { resourceLinks } from "~/resources/ui";
import { consentLabel } from "~/people/consent";
import staffStylesHref from "./staff.css";

export const staffLinks = () => [...resourceLinks(), { rel: "stylesheet", href: staffStylesHref }];

/** A person who does not exist and a person the viewer may not see get the same answer. */
export function personNotFound(): never {
  throw data(
    { message: "このケースは見つかりません（担当していないケースは表示されません）。", messageEn: "Case not found." },
    { status: 404 },
  );
}

export function StaffNav() {
  return (
    <nav aria-label="参加支援メニュー" className="staff-nav">
      <ul>
        <li>
          <NavLink to="/staff" end>
            ダッシュボード
          </NavLink>
        </li>
        <li>
          <NavLink to="/staff/people" end>
            担当ケース一覧
          </NavLink>
        </li>
        <li>
          <NavLink to="/staff/people/new">本人の登録（インテーク）</NavLink>
        </li>
        <li>
          <NavLink to="/staff/unmet-needs">不足している社会資源</NavLink>
        </li>
        <li>
          <NavLink to="/staff/meetings">会議</NavLink>
        </li>
        <li>
          <NavLink to="/staff/notifications">お知らせ</NavLink>
        </li>
      </ul>
    </nav>
  );
}

export function ConsentBadge({ state }: { state: string | null }) {
  return <span className={`badge badge--consent-${state ?? "unknown"}`}>{consentLabel(state)}</span>;
}

const dateTime = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", dateStyle: "medium", timeStyle: "short" });
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return "—";
  const date = typeof value === "string" ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? "—" : dateTime.format(date);
}

export interface UnmetNeedsAggregate {
  rows: { area: string; dimension: "want" | "kind"; label: string; waiting: number; total: number }[];
  waiting: number;
  total: number;
}

function AggregateTable({ caption, rows }: { caption: string; rows: UnmetNeedsAggregate["rows"] }) {
  return (
    <div className="data-table-wrap">
      <table className="data-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">圏域・地区</th>
            <th scope="col">項目</th>
            <th scope="col">待機中</th>
            <th scope="col">記録の累計</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.area}-${r.dimension}-${r.label}`}>
              <td>{r.area}</td>
              <td>{r.label}</td>
              <td>{r.waiting}</td>
              <td>{r.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** 社会資源の充足状況: counts by area × wanted participation and area × kind; no personal data. */
export function UnmetNeedsTables({ aggregate }: { aggregate: UnmetNeedsAggregate }) {
  if (aggregate.total === 0) return <p>不足している社会資源の記録はまだありません。</p>;
  return (
    <>
      <p>
        合う場所が見つからなかったニーズの件数です（待機中 {aggregate.waiting}件 ／ 記録の累計 {aggregate.total}件）。個人を特定できる情報は含みません。
      </p>
      <AggregateTable caption="地区 × 参加の形" rows={aggregate.rows.filter((r) => r.dimension === "want")} />
      <AggregateTable caption="地区 × 求める場所の種類" rows={aggregate.rows.filter((r) => r.dimension === "kind")} />
    </>
  );
}
