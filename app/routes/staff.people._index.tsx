// `/staff/people`: the people the viewer may see (hidden people are not counted). Searching by
// name posts the text, so no name ever appears in a URL, a log line or the browser history.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { AccountErrorBoundary, CsrfField, errorProps, FieldError, noStoreHeaders } from "~/accounts/ui";
import { requireCaseworker } from "~/people/auth.server";
import { NAME_MAX_CHARS } from "~/people/forms";
import { listVisiblePeople } from "~/people/people.server";
import { placementStatusLabel } from "~/people/placement";
import { ConsentBadge, StaffNav, staffLinks } from "~/staff/ui";
import { fieldErrorsOf, formFields, type FieldErrors } from "~/utils/account-validation";
import { readForm } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { pageTitle } from "~/utils/site";

export const links = staffLinks;
export const headers = noStoreHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor, audit } = await requireCaseworker(request, context);
  const { db } = await getDatabase();
  const list = await listVisiblePeople(db, { actor, audit });
  return { csrf: (await getCsrfToken(request)).token, ...list };
}

export const PeopleSearchSchema = z.object({
  q: z
    .string({ error: "氏名・ふりがな・ケース番号を入力してください" })
    .trim()
    .min(1, "氏名・ふりがな・ケース番号を入力してください")
    .max(NAME_MAX_CHARS, `${NAME_MAX_CHARS}文字以内で入力してください`),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const { actor, audit } = await requireCaseworker(request, context);
  const parsed = PeopleSearchSchema.safeParse(formFields(form, ["q"]));
  if (!parsed.success) return data({ errors: fieldErrorsOf(parsed.error) as FieldErrors, q: "", result: null }, { status: 400 });
  const { db } = await getDatabase();
  const result = await listVisiblePeople(db, { actor, audit, nameQuery: parsed.data.q });
  return { errors: {} as FieldErrors, q: parsed.data.q, result };
}

export default function PeopleListPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const searched = actionData?.result ?? null;
  const { rows, total } = searched ?? loaded;
  return (
    <div className="account-page account-page--wide">
      <h1>担当ケース一覧</h1>
      <StaffNav />
      <Form method="post" className="account-form--inline" aria-label="ケースの検索">
        <CsrfField token={loaded.csrf} />
        <div className="field">
          <label htmlFor="people-q">氏名・ふりがな・ケース番号で探す</label>
          <input id="people-q" name="q" type="text" defaultValue={actionData?.q ?? ""} maxLength={NAME_MAX_CHARS} {...errorProps("people-q", actionData?.errors.q)} />
          <FieldError id="people-q-error" errors={actionData?.errors.q} />
        </div>
        <button type="submit">検索</button>
        {searched ? <Link to="/staff/people">すべて表示</Link> : null}
      </Form>
      <p role="status">{searched ? `「${actionData?.q}」に当てはまるケース: ${total}件` : `表示できるケース: ${total}件`}</p>
      {rows.length === 0 ? (
        <p>表示できるケースはありません。<Link to="/staff/people/new">本人を登録する</Link></p>
      ) : (
        <div className="data-table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">ケースの一覧</caption>
            <thead>
              <tr>
                <th scope="col">ケース番号</th>
                <th scope="col">氏名</th>
                <th scope="col">ふりがな</th>
                <th scope="col">圏域・地区</th>
                <th scope="col">同意</th>
                <th scope="col">最新のつなぎ</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.caseNumber}>
                  <td>
                    <Link to={`/staff/people/${row.caseNumber}`}>{row.caseNumber}</Link>
                  </td>
                  <td>{row.name}</td>
                  <td>{row.nameKana ?? "—"}</td>
                  <td>{row.area ?? "—"}</td>
                  <td>
                    <ConsentBadge state={row.consent} />
                  </td>
                  <td>{placementStatusLabel(row.latestPlacementStatus)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("担当ケース一覧") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}
