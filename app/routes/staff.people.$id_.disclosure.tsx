// `/staff/people/:id/disclosure`: 本人開示 — an administrator downloads everything held about one
// person as JSON, for a disclosure request. The request (受付番号 etc.) is the audited purpose. Any
// consent state (consent governs sharing with others, not the person's own access); staff get 403.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AccountErrorBoundary, CsrfField, noStoreHeaders } from "~/accounts/ui";
import { exportPersonRecords } from "~/governance/disclosure.server";
import { StaffNav, personNotFound, staffLinks } from "~/staff/ui";
import { requireUser, readForm } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { requestInfo } from "~/utils/request.server";
import { pageTitle } from "~/utils/site";

export const links = staffLinks;
export const headers = noStoreHeaders;

const CASE_NUMBER = /^\d{4}-\d{4,}$/;

function caseNumberOf(value: string | undefined): string {
  if (!value || !CASE_NUMBER.test(value)) personNotFound();
  return value;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, { permission: "decide:support", context });
  return { csrf: (await getCsrfToken(request)).token, caseNumber: caseNumberOf(params.id) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const auth = await requireUser(request, { permission: "decide:support", context });
  const caseNumber = caseNumberOf(params.id);
  const reference = String(form.get("reference") ?? "").trim();
  if (reference.length < 2 || reference.length > 200) {
    return data({ message: "開示請求の受付番号・内容を2〜200文字で入力してください（監査ログに目的として残ります）。" }, { status: 400 });
  }
  const info = requestInfo(request, context);
  const { db } = await getDatabase();
  const result = await exportPersonRecords(db, {
    actor: { id: auth.user.id, role: auth.user.role },
    caseNumber,
    purpose: `本人開示請求：${reference}`,
    audit: { requestId: info.requestId, ipHash: info.ipHash },
  });
  if (result.kind !== "ok") personNotFound();
  return new Response(JSON.stringify(result.value, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="disclosure-${caseNumber}.json"`,
      "Cache-Control": "no-store",
    },
  });
}

export default function DisclosurePage() {
  const { csrf, caseNumber } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ message?: string }>();
  return (
    <div className="account-page">
      <h1>本人開示のための書き出し（{caseNumber}）</h1>
      <StaffNav />
      <p>
        本人からの開示請求に応えるため、この方について保存しているすべての記録（基本情報、世帯、同意、アセスメント、つなぎ、フォローアップ、プラン、会議での扱い、閲覧の記録）を
        JSON ファイルとして書き出します。書き出しは監査ログに記録されます。
      </p>
      <Form method="post" reloadDocument>
        <CsrfField token={csrf} />
        <div className="field">
          <label htmlFor="reference">開示請求の受付番号・内容</label>
          <input id="reference" name="reference" required minLength={2} maxLength={200} aria-describedby={actionData?.message ? "reference-error" : undefined} />
          {actionData?.message ? (
            <p id="reference-error" className="field-error">
              {actionData.message}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button--primary">
          書き出す
        </button>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("本人開示のための書き出し") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}
