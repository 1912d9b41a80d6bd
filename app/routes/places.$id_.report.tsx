// `/places/:id/report`: 「情報の修正を報告」 — a resident tells the coordinators that an entry is
// out of date. No login and no personal data beyond an optional contact; a honeypot field and a
// per-IP rate limit keep bots out. Reports land on /manage/verify.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AccountErrorBoundary, CsrfField, errorProps, FieldError, Notice } from "~/accounts/ui";
import { createCorrectionReport } from "~/models/resource-editor.server";
import { getPublicResource } from "~/models/resource.server";
import { resourceLinks } from "~/resources/ui";
import { fieldErrorsOf, formFields, type FieldErrors } from "~/utils/account-validation";
import { readForm } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { countAttempt, LIMITS, minutesUntil } from "~/utils/rate-limit.server";
import { requestInfo } from "~/utils/request.server";
import { CorrectionReportSchema, REPORT_CONTACT_MAX_CHARS, REPORT_HONEYPOT_FIELD, REPORT_MESSAGE_MAX_CHARS } from "~/utils/resource-form";
import { pageTitle } from "~/utils/site";

export const links = resourceLinks;

const NOT_FOUND = { message: "お探しの場所は見つかりませんでした。" };

async function placeOf(param: string | undefined) {
  const id = /^[1-9]\d{0,8}$/.test(param ?? "") ? Number(param) : null;
  const place = id === null ? null : await getPublicResource({ id });
  if (!place) throw data(NOT_FOUND, { status: 404 });
  return place;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const place = await placeOf(params.id);
  const csrf = await getCsrfToken(request);
  return data({ csrf: csrf.token, place: { id: place.id, name: place.name } }, { headers: { ...csrf.headers, "Cache-Control": "no-store" } });
}

interface ActionData {
  ok: boolean;
  message?: string;
  errors: FieldErrors;
  values?: { message: string; contact: string };
}

const THANKS = "ご報告ありがとうございました。担当者が確認して、必要なら情報を直します。";

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const place = await placeOf(params.id);
  const fields = formFields(form, ["message", "contact", REPORT_HONEYPOT_FIELD]);
  // A filled honeypot is a bot: thank it as if it worked and store nothing.
  if ((fields[REPORT_HONEYPOT_FIELD] ?? "") !== "") return data<ActionData>({ ok: true, message: THANKS, errors: {} });
  const values = { message: fields.message ?? "", contact: fields.contact ?? "" };
  const parsed = CorrectionReportSchema.safeParse(values);
  if (!parsed.success) return data<ActionData>({ ok: false, errors: fieldErrorsOf(parsed.error), values }, { status: 400 });
  const { db } = await getDatabase();
  const now = new Date();
  const attempt = await countAttempt(db, LIMITS.correctionIp, requestInfo(request, context).ipHash, now);
  if (attempt.limited) {
    return data<ActionData>(
      { ok: false, message: `報告が続いたため、${minutesUntil(attempt.retryAfterMs)}分ほど受付を止めています。時間をおいてからお送りください。`, errors: {}, values },
      { status: 429 },
    );
  }
  await createCorrectionReport(db, { resourceId: place.id, message: parsed.data.message, contact: parsed.data.contact, now });
  return data<ActionData>({ ok: true, message: THANKS, errors: {} });
}

export default function ReportPage() {
  const { csrf, place } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const errors = actionData?.errors ?? {};
  return (
    <div className="account-page">
      <p>
        <Link to={`/places/${place.id}`}>← {place.name}</Link>
      </p>
      <h1>情報の修正を報告</h1>
      <p>「{place.name}」の情報に違っているところがあれば教えてください。お名前は要りません。</p>
      <Notice tone={actionData?.ok ? "info" : "error"} message={actionData?.message} />
      {actionData?.ok ? null : (
        <Form method="post" className="account-form" noValidate>
          <CsrfField token={csrf} />
          <div className="field">
            <label htmlFor="report-message">違っているところ（必須）</label>
            <textarea
              id="report-message"
              name="message"
              rows={5}
              required
              maxLength={REPORT_MESSAGE_MAX_CHARS}
              defaultValue={actionData?.values?.message}
              {...errorProps("report-message", errors.message)}
            />
            <FieldError id="report-message-error" errors={errors.message} />
          </div>
          <div className="field">
            <label htmlFor="report-contact">連絡先（任意）</label>
            <p className="field__hint">返事が必要な場合だけ、メールアドレスか電話番号を書いてください。公開はしません。</p>
            <input id="report-contact" name="contact" type="text" maxLength={REPORT_CONTACT_MAX_CHARS} defaultValue={actionData?.values?.contact} {...errorProps("report-contact", errors.contact)} />
            <FieldError id="report-contact-error" errors={errors.contact} />
          </div>
          <div className="visually-hidden" aria-hidden="true">
            <label htmlFor="report-website">ウェブサイト（入力しないでください）</label>
            <input id="report-website" name={REPORT_HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" />
          </div>
          <div>
            <button type="submit" className="button--primary">
              報告を送る
            </button>
          </div>
        </Form>
      )}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("情報の修正を報告") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}
