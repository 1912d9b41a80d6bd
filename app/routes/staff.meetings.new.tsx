// `/staff/meetings/new`: an administrator (who runs the meetings) creates a 支援会議 or a
// 重層的支援会議: kind, date, title. The creator becomes its first member; in a 支援会議 they accept
// the confidentiality pledge like everyone else before any case is shown.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AccountErrorBoundary, CsrfField, errorProps, FieldError, Notice } from "~/accounts/ui";
import { MEETING_TITLE_MAX_CHARS, meetingSchema } from "~/meetings/forms";
import { createMeeting } from "~/meetings/meetings.server";
import { MEETING_KINDS } from "~/meetings/rules";
import { MEETING_KIND_SCOPE, meetingHeaders, meetingLinks } from "~/meetings/ui";
import { todayInTokyo } from "~/people/people.server";
import { StaffNav } from "~/staff/ui";
import { fieldErrorsOf, formFields, type FieldErrors } from "~/utils/account-validation";
import { readForm, requireUser } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { requestInfo } from "~/utils/request.server";
import { pageTitle } from "~/utils/site";

export const links = meetingLinks;
export const headers = meetingHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, { permission: "decide:support", context });
  return { csrf: (await getCsrfToken(request)).token, today: todayInTokyo() };
}

interface ActionData {
  message: string;
  errors: FieldErrors;
  values: Record<string, string | undefined>;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const auth = await requireUser(request, { permission: "decide:support", context });
  const values = formFields(form, ["kind", "heldOn", "title"]);
  const parsed = meetingSchema.safeParse(values);
  if (!parsed.success) return data<ActionData>({ message: "入力内容を確認してください。", errors: fieldErrorsOf(parsed.error), values }, { status: 400 });
  const info = requestInfo(request, context);
  const { db } = await getDatabase();
  const id = await createMeeting(db, {
    actor: { id: auth.user.id, role: auth.user.role },
    meeting: parsed.data,
    audit: { requestId: info.requestId, ipHash: info.ipHash },
  });
  return redirect(`/staff/meetings/${id}?created=1`);
}

export default function NewMeetingPage() {
  const { csrf, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  return (
    <div className="account-page account-page--wide">
      <p>
        <Link to="/staff/meetings">← 会議の一覧</Link>
      </p>
      <h1>会議を作成</h1>
      <StaffNav />
      <Notice tone="error" message={actionData?.message} />
      <Form method="post" className="account-form" noValidate>
        <CsrfField token={csrf} />
        <fieldset aria-describedby={errors.kind ? "meeting-kind-error" : undefined}>
          <legend>会議の種類（必須）</legend>
          {MEETING_KINDS.map((k) => (
            <div className="kind-choice" key={k.code}>
              <label>
                <input type="radio" name="kind" value={k.code} defaultChecked={values.kind === k.code} aria-describedby={`kind-${k.code}-scope`} /> {k.label}
              </label>
              <p id={`kind-${k.code}-scope`}>{MEETING_KIND_SCOPE[k.code]}</p>
            </div>
          ))}
          <FieldError id="meeting-kind-error" errors={errors.kind} />
        </fieldset>
        <div className="field">
          <label htmlFor="meeting-held-on">開催日（必須）</label>
          <input id="meeting-held-on" name="heldOn" type="date" defaultValue={values.heldOn ?? today} {...errorProps("meeting-held-on", errors.heldOn)} />
          <FieldError id="meeting-held-on-error" errors={errors.heldOn} />
        </div>
        <div className="field">
          <label htmlFor="meeting-title">会議名（必須）</label>
          <input
            id="meeting-title"
            name="title"
            type="text"
            maxLength={MEETING_TITLE_MAX_CHARS}
            defaultValue={values.title ?? ""}
            placeholder="例: 第3回 支援会議（北地区）"
            {...errorProps("meeting-title", errors.title)}
          />
          <FieldError id="meeting-title-error" errors={errors.title} />
          <p className="field__hint">会議名に本人の氏名など個人が分かることは書かないでください。</p>
        </div>
        <div>
          <button type="submit" className="button--primary">
            作成する
          </button>
        </div>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("会議を作成") }, { name: "robots", content: "noindex" }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}
