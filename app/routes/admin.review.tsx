// `/admin/review`: new entries waiting for review and edits to published entries (with a
// field-by-field diff). Approving publishes (search outbox in the same transaction); returning
// sends the entry back with a reason and leaves the coordinator's text as it was.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { kindLabel } from "../../db/vocabulary";
import { AccountErrorBoundary, CsrfField, errorProps, FieldError, noStoreHeaders, Notice } from "~/accounts/ui";
import { approveResource, approveRevision, listReviewQueue, returnResource, returnRevision } from "~/models/resource-editor.server";
import { resourceLinks } from "~/resources/ui";
import { fieldErrorsOf, formFields, type FieldErrors } from "~/utils/account-validation";
import { readForm, requireUser } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { RETURN_REASON_MAX_CHARS } from "~/utils/resource-form";
import { pageTitle } from "~/utils/site";

export const links = resourceLinks;
export const headers = noStoreHeaders;

const dateTime = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", dateStyle: "medium", timeStyle: "short" });

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, { permission: "review:resource", context });
  const { db } = await getDatabase();
  const queue = await listReviewQueue(db);
  return {
    csrf: (await getCsrfToken(request)).token,
    submitted: queue.submitted.map((s) => ({ ...s, kind: kindLabel(s.kind), submittedAt: s.submittedAt ? dateTime.format(s.submittedAt) : "—" })),
    revisions: queue.revisions.map((r) => ({ ...r, createdAt: dateTime.format(r.createdAt) })),
  };
}

const idField = z.coerce.number({ error: "対象が不明です" }).int().positive("対象が不明です");
const reasonField = z
  .string({ error: "差し戻しの理由を入力してください" })
  .trim()
  .min(1, "差し戻しの理由を入力してください")
  .max(RETURN_REASON_MAX_CHARS, `理由は${RETURN_REASON_MAX_CHARS}文字以内で入力してください`);
export const ReviewDecisionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.enum(["approve-resource", "approve-revision"]), id: idField }),
  z.object({ intent: z.enum(["return-resource", "return-revision"]), id: idField, reason: reasonField }),
]);

interface ActionData {
  ok: boolean;
  message?: string;
  target?: string;
  errors: FieldErrors;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const auth = await requireUser(request, { permission: "review:resource", context });
  const fields = formFields(form, ["intent", "id", "reason"]);
  const parsed = ReviewDecisionSchema.safeParse(fields);
  const target = `${fields.intent ?? ""}:${fields.id ?? ""}`;
  if (!parsed.success) return data<ActionData>({ ok: false, message: "入力内容を確認してください。", target, errors: fieldErrorsOf(parsed.error) }, { status: 400 });
  const { db } = await getDatabase();
  const actor = { id: auth.user.id, role: auth.user.role };
  const now = new Date();
  const decision = parsed.data;
  let result;
  if (decision.intent === "approve-resource") result = await approveResource(db, { actor, id: decision.id, now });
  else if (decision.intent === "approve-revision") result = await approveRevision(db, { actor, revisionId: decision.id, now });
  else if ("reason" in decision) {
    result =
      decision.intent === "return-resource"
        ? await returnResource(db, { actor, id: decision.id, reason: decision.reason, now })
        : await returnRevision(db, { actor, revisionId: decision.id, reason: decision.reason, now });
  } else throw new Error("unreachable");
  if (result.kind === "not-found") return data<ActionData>({ ok: false, message: "対象が見つかりません（すでに処理された可能性があります）。", errors: {} }, { status: 404 });
  if (result.kind === "refused") return data<ActionData>({ ok: false, message: result.message, errors: {} }, { status: 409 });
  const done = decision.intent.startsWith("approve") ? "承認して公開しました。検索にもまもなく反映されます。" : "差し戻しました。";
  return data<ActionData>({ ok: true, message: done, errors: {} });
}

function ReturnForm({ csrf, intent, id, errors }: { csrf: string; intent: string; id: number; errors: FieldErrors }) {
  const fieldId = `reason-${intent}-${id}`;
  return (
    <Form method="post" className="account-form">
      <CsrfField token={csrf} />
      <input type="hidden" name="id" value={id} />
      <div className="field">
        <label htmlFor={fieldId}>差し戻しの理由</label>
        <textarea id={fieldId} name="reason" rows={2} maxLength={RETURN_REASON_MAX_CHARS} {...errorProps(fieldId, errors.reason)} />
        <FieldError id={`${fieldId}-error`} errors={errors.reason} />
      </div>
      <div>
        <button type="submit" name="intent" value={intent}>
          差し戻す
        </button>
      </div>
    </Form>
  );
}

export default function AdminReviewPage() {
  const { csrf, submitted, revisions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const errorsFor = (intent: string, id: number) => (actionData?.target === `${intent}:${id}` ? actionData.errors : {});
  return (
    <div className="account-page account-page--wide">
      <h1>地域資源の審査</h1>
      <Notice tone={actionData?.ok ? "info" : "error"} message={actionData?.message} />

      <section aria-labelledby="submitted-heading">
        <h2 id="submitted-heading">新しい登録（{submitted.length}件）</h2>
        {submitted.length === 0 ? <p>審査待ちの登録はありません。</p> : null}
        {submitted.map((s) => (
          <article key={s.id} className="field-group">
            <h3>{s.name}</h3>
            <p>
              {s.kind} ／ 申請: {s.submittedAt} ／ 登録者: {s.author ?? "—"} ／ <Link to={`/admin/resources/${s.id}/history`}>履歴</Link>
            </p>
            <Form method="post" className="account-form--inline">
              <CsrfField token={csrf} />
              <input type="hidden" name="id" value={s.id} />
              <button type="submit" name="intent" value="approve-resource" className="button--primary">
                承認して公開
              </button>
            </Form>
            <ReturnForm csrf={csrf} intent="return-resource" id={s.id} errors={errorsFor("return-resource", s.id)} />
          </article>
        ))}
      </section>

      <section aria-labelledby="revisions-heading">
        <h2 id="revisions-heading">公開中の情報の変更（{revisions.length}件）</h2>
        {revisions.length === 0 ? <p>審査待ちの変更はありません。</p> : null}
        {revisions.map((r) => (
          <article key={r.id} className="field-group">
            <h3>{r.name}</h3>
            <p>
              申請: {r.createdAt} ／ 申請者: {r.author ?? "—"} ／ <Link to={`/admin/resources/${r.resourceId}/history`}>履歴</Link>
            </p>
            {r.changes.length === 0 ? (
              <p>変更された項目はありません。</p>
            ) : (
              <div className="data-table-wrap">
                <table className="data-table">
                  <thead>
                    <tr>
                      <th scope="col">項目</th>
                      <th scope="col">変更前</th>
                      <th scope="col">変更後</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.changes.map((c) => (
                      <tr key={c.field}>
                        <th scope="row">{c.label}</th>
                        <td className="diff-before pre-line">{c.before ?? "（なし）"}</td>
                        <td className="diff-after pre-line">{c.after ?? "（なし）"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Form method="post" className="account-form--inline">
              <CsrfField token={csrf} />
              <input type="hidden" name="id" value={r.id} />
              <button type="submit" name="intent" value="approve-revision" className="button--primary">
                変更を承認して公開
              </button>
            </Form>
            <ReturnForm csrf={csrf} intent="return-revision" id={r.id} errors={errorsFor("return-revision", r.id)} />
          </article>
        ))}
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("地域資源の審査") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}
