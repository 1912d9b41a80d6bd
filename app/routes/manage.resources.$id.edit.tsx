// `/manage/resources/:id/edit`: a draft or returned entry is edited in place; an edit to a
// published entry is kept as a revision until an administrator approves it.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AccountErrorBoundary, noStoreHeaders, Notice } from "~/accounts/ui";
import { formValuesOf, getEditableResource, saveResourceEdit, submitResource, type ResourceColumns, type ScheduleColumns } from "~/models/resource-editor.server";
import { assistResourceForm, isAssistIntent, postedResourceForm } from "~/resources/form-assist.server";
import { assistNotice, ResourceForm, type FormAssist } from "~/resources/ResourceForm";
import { resourceLinks } from "~/resources/ui";
import type { FieldErrors } from "~/utils/account-validation";
import { readForm, requireUser } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { REVIEW_STATUS_LABELS, resourceFieldErrors, ResourceFormSchema, type ReviewStatus } from "~/utils/resource-form";
import { nextOccurrencesOfAll } from "~/utils/schedule";
import { pageTitle } from "~/utils/site";

export const links = resourceLinks;
export const headers = noStoreHeaders;

const NOT_FOUND = { message: "この情報は見つからないか、編集する権限がありません。", messageEn: "Not found." };

function idOf(param: string | undefined): number {
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id <= 0) throw data(NOT_FOUND, { status: 404 });
  return id;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, { permission: "update:resource:own", context });
  const id = idOf(params.id);
  const { db } = await getDatabase();
  const found = await getEditableResource(db, { id, actor: { id: auth.user.id, role: auth.user.role } });
  if (!found) throw data(NOT_FOUND, { status: 404 });
  // A pending revision is what the coordinator last proposed: edit that, not the public text.
  const { values, kept } = found.pendingRevision
    ? formValuesOf(found.pendingRevision.fields as ResourceColumns, found.pendingRevision.schedules as ScheduleColumns[])
    : formValuesOf(found.resource, found.schedules);
  return {
    csrf: (await getCsrfToken(request)).token,
    id,
    name: found.resource.name,
    reviewStatus: found.resource.reviewStatus as ReviewStatus,
    returnReason: found.resource.returnReason,
    hasPendingRevision: found.pendingRevision !== null,
    keptSchedules: kept.length,
    // What residents see now: the next dates of the stored schedule, to check the rows against.
    nextDates: nextOccurrencesOfAll(found.schedules, new Date(), 4).map((o) => o.label),
    values,
    previewFrom: new Date().toISOString(),
    geocoder: Boolean(getEnv().GEOCODER_URL),
  };
}

interface ActionData {
  errors: FieldErrors;
  values: Record<string, unknown>;
  message?: string;
  /** Set for 「住所から位置を調べる」 and 「プレビュー」: nothing was saved. */
  assist?: FormAssist;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const auth = await requireUser(request, { permission: "update:resource:own", context });
  const id = idOf(params.id);
  const { db } = await getDatabase();
  const actor = { id: auth.user.id, role: auth.user.role };
  if (!(await getEditableResource(db, { id, actor }))) throw data(NOT_FOUND, { status: 404 });
  const { input, postal } = postedResourceForm(form);
  const intent = form.get("intent");
  if (isAssistIntent(intent)) {
    return data<ActionData>({ errors: {}, ...(await assistResourceForm(db, { userId: auth.user.id, intent, input, postal, now: new Date() })) });
  }
  const parsed = ResourceFormSchema.safeParse(input);
  if (!parsed.success) return data<ActionData>({ errors: resourceFieldErrors(parsed.error), values: input }, { status: 400 });
  const now = new Date();
  const result = await saveResourceEdit(db, { actor, id, values: parsed.data, now });
  if (result.kind === "not-found") throw data(NOT_FOUND, { status: 404 });
  if (result.kind === "refused") return data<ActionData>({ errors: {}, values: input, message: result.message }, { status: 409 });
  if (result.mode === "in-place" && form.get("intent") === "save-submit") await submitResource(db, { actor, id, now });
  return redirect(`/manage/resources?saved=${id}${result.mode === "revision" ? "&revision=1" : ""}`);
}

export default function EditResourcePage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const published = page.reviewStatus === "published";
  return (
    <div className="account-page account-page--wide">
      <p>
        <Link to="/manage/resources">← 登録した情報の一覧</Link>
      </p>
      <h1>「{page.name}」を編集する</h1>
      <p>状態: {REVIEW_STATUS_LABELS[page.reviewStatus] ?? page.reviewStatus}</p>
      {page.reviewStatus === "returned" && page.returnReason ? <Notice tone="warning" message={`差し戻しの理由: ${page.returnReason}`} /> : null}
      {published ? <Notice tone="info" message="公開中の情報です。変更は管理者が承認するまで公開されません。" /> : null}
      {page.hasPendingRevision ? <Notice tone="info" message="審査待ちの変更があります。ここでの保存はその変更を置き換えます。" /> : null}
      {page.keptSchedules > 0 ? <Notice tone="info" message={`このフォームで表せない開催日時が${page.keptSchedules}件あり、そのまま残ります。`} /> : null}
      {page.nextDates.length > 0 ? <p>いま登録されている次の開催日: {page.nextDates.join("、")}</p> : null}
      {actionData?.assist ? <Notice tone="info" message={assistNotice(actionData.assist)} /> : null}
      {actionData && !actionData.assist ? (
        <Notice tone="error" message={actionData.message ?? "入力内容を確認してください。各項目の下に理由を表示しています。"} messageEn={actionData.message ? undefined : "Please correct the fields marked below."} />
      ) : null}
      <ResourceForm
        csrf={page.csrf}
        values={actionData?.values ?? page.values}
        errors={actionData?.errors ?? {}}
        submitLabel={published ? "変更を申請する" : "下書きとして保存"}
        assist={actionData?.assist}
        previewFrom={page.previewFrom}
        geocoder={page.geocoder}
      />
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("地域資源を編集する") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}
