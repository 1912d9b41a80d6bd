// `/admin/audit`: administrators browse the audit log by actor, action, record type and dates.
// Reading it is itself written to the log. Filters are ids and action names, never personal data.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getDatabase } from "~/utils/db.server";
import { accountLinks, AccountErrorBoundary, noStoreHeaders } from "~/accounts/ui";
import { AUDIT_PAGE_SIZE, listAuditEvents } from "~/models/audit-log.server";
import { listUserNames } from "~/models/user.server";
import { AUDIT_ACTIONS, AUDIT_OUTCOME_LABELS, AUDIT_RECORD_TYPES, type AuditOutcome } from "~/utils/audit-actions";
import { recordAudit } from "~/utils/audit.server";
import { requireUser } from "~/utils/auth.server";
import { isRole, ROLE_LABELS } from "~/utils/permissions";
import { requestInfo } from "~/utils/request.server";
import { pageTitle } from "~/utils/site";

export const links = accountLinks;
export const headers = noStoreHeaders;

const dateTime = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", dateStyle: "short", timeStyle: "medium" });
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "日付は YYYY-MM-DD の形で指定してください")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00+09:00`)), "存在しない日付です");
const empty = (v: unknown) => (v === "" || v === null ? undefined : v);

export const AuditFilterSchema = z.object({
  actor: z.preprocess(empty, z.coerce.number().int().positive("操作した人の指定が正しくありません").optional()),
  action: z.preprocess(empty, z.enum(Object.keys(AUDIT_ACTIONS) as [string, ...string[]], { error: "操作の種類の指定が正しくありません" }).optional()),
  recordType: z.preprocess(empty, z.string().max(40).regex(/^[a-z_]+$/, "対象の種類の指定が正しくありません").optional()),
  from: z.preprocess(empty, day.optional()),
  to: z.preprocess(empty, day.optional()),
  page: z.preprocess(empty, z.coerce.number().int().min(1).max(10_000).default(1)),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, { permission: "read:audit", context });
  const params = new URL(request.url).searchParams;
  const parsed = AuditFilterSchema.safeParse(Object.fromEntries(["actor", "action", "recordType", "from", "to", "page"].map((k) => [k, params.get(k)])));
  if (!parsed.success) {
    throw data({ message: parsed.error.issues.map((i) => i.message).join(" "), messageEn: "Invalid filter." }, { status: 400 });
  }
  const filters = parsed.data;
  const { db } = await getDatabase();
  const info = requestInfo(request, context);
  const [result, people] = await Promise.all([
    listAuditEvents(
      db,
      {
        actorUserId: filters.actor,
        action: filters.action,
        recordType: filters.recordType,
        from: filters.from ? new Date(`${filters.from}T00:00:00+09:00`) : undefined,
        until: filters.to ? new Date(new Date(`${filters.to}T00:00:00+09:00`).getTime() + 24 * 60 * 60 * 1000) : undefined,
      },
      filters.page,
    ),
    listUserNames(db),
  ]);
  await recordAudit(db, {
    action: "audit.read",
    actor: { id: auth.user.id, role: auth.user.role },
    recordType: "audit_log",
    purpose: "監査ログの閲覧",
    requestId: info.requestId,
    ipHash: info.ipHash,
  });
  return {
    filters: { actor: filters.actor ?? "", action: filters.action ?? "", recordType: filters.recordType ?? "", from: filters.from ?? "", to: filters.to ?? "" },
    page: filters.page,
    hasMore: result.hasMore,
    people,
    events: result.events.map((e) => ({
      seq: e.seq,
      at: dateTime.format(e.at),
      actor: e.actorUserId === null ? "（未ログイン）" : (e.actorName ?? `#${e.actorUserId}`),
      role: e.actorRole && isRole(e.actorRole) ? ROLE_LABELS[e.actorRole] : "",
      action: AUDIT_ACTIONS[e.action as keyof typeof AUDIT_ACTIONS] ?? e.action,
      outcome: AUDIT_OUTCOME_LABELS[e.outcome as AuditOutcome] ?? e.outcome,
      record: e.recordType ? `${AUDIT_RECORD_TYPES[e.recordType as keyof typeof AUDIT_RECORD_TYPES] ?? e.recordType}${e.recordId ? ` #${e.recordId}` : ""}` : "",
      purpose: e.purpose ?? "",
      requestId: e.requestId ?? "",
    })),
  };
}

export default function AuditPage() {
  const { filters, page, hasMore, people, events } = useLoaderData<typeof loader>();
  const pageLink = (p: number) => {
    const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== "").map(([k, v]) => [k, String(v)]));
    params.set("page", String(p));
    return `?${params.toString()}`;
  };
  return (
    <div className="account-page account-page--wide">
      <h1>監査ログ</h1>
      <p>
        ログイン、アカウントの変更、個人情報の閲覧・更新などの記録です。記録は追記のみで、変更・削除はできません（改ざんは
        <code>scripts/verify-audit.ts</code> で検出できます）。この画面を開いたことも記録されます。
      </p>
      <Form method="get" className="filters-row" aria-label="絞り込み">
        <div className="field">
          <label htmlFor="f-actor">操作した人</label>
          <select id="f-actor" name="actor" defaultValue={String(filters.actor)}>
            <option value="">すべて</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-action">操作</label>
          <select id="f-action" name="action" defaultValue={filters.action}>
            <option value="">すべて</option>
            {Object.entries(AUDIT_ACTIONS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-type">対象</label>
          <select id="f-type" name="recordType" defaultValue={filters.recordType}>
            <option value="">すべて</option>
            {Object.entries(AUDIT_RECORD_TYPES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-from">期間（から）</label>
          <input id="f-from" name="from" type="date" defaultValue={filters.from} />
        </div>
        <div className="field">
          <label htmlFor="f-to">期間（まで）</label>
          <input id="f-to" name="to" type="date" defaultValue={filters.to} />
        </div>
        <div>
          <button type="submit" className="button--primary">
            絞り込む
          </button>
        </div>
      </Form>
      <p>
        {events.length === 0 ? "該当する記録はありません。" : `${(page - 1) * AUDIT_PAGE_SIZE + 1}〜${(page - 1) * AUDIT_PAGE_SIZE + events.length}件目（新しい順）`}
      </p>
      <div className="data-table-wrap">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">番号</th>
              <th scope="col">日時</th>
              <th scope="col">操作した人</th>
              <th scope="col">操作</th>
              <th scope="col">結果</th>
              <th scope="col">対象</th>
              <th scope="col">目的</th>
              <th scope="col">リクエストID</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.seq}>
                <td>{e.seq}</td>
                <td>{e.at}</td>
                <td>
                  {e.actor}
                  {e.role ? <div>{e.role}</div> : null}
                </td>
                <td>{e.action}</td>
                <td>{e.outcome}</td>
                <td>{e.record}</td>
                <td>{e.purpose}</td>
                <td>
                  <code>{e.requestId.slice(0, 8)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="ページ送り" className="pagination">
        <ul>
          {page > 1 ? (
            <li>
              <Link to={pageLink(page - 1)}>新しい記録へ</Link>
            </li>
          ) : null}
          {hasMore ? (
            <li>
              <Link to={pageLink(page + 1)}>古い記録へ</Link>
            </li>
          ) : null}
        </ul>
      </nav>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("監査ログ") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}
