// `/manage/resources/new`: a coordinator registers a venue or activity. It is saved as a draft;
// 「保存して審査を申請する」 also sends it to an administrator for review before it is public.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AccountErrorBoundary, noStoreHeaders, Notice } from "~/accounts/ui";
import { createResourceDraft, submitResource } from "~/models/resource-editor.server";
import { assistResourceForm, isAssistIntent, postedResourceForm } from "~/resources/form-assist.server";
import { assistNotice, ResourceForm, type FormAssist } from "~/resources/ResourceForm";
import { resourceLinks } from "~/resources/ui";
import type { FieldErrors } from "~/utils/account-validation";
import { readForm, requireUser } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { emptyResourceForm, resourceFieldErrors, ResourceFormSchema } from "~/utils/resource-form";
import { pageTitle } from "~/utils/site";

export const links = resourceLinks;
export const headers = noStoreHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, { permission: "create:resource", context });
  return {
    csrf: (await getCsrfToken(request)).token,
    values: emptyResourceForm(),
    previewFrom: new Date().toISOString(),
    geocoder: Boolean(getEnv().GEOCODER_URL),
  };
}

interface ActionData {
  errors: FieldErrors;
  values: Record<string, unknown>;
  /** Set for 「住所から位置を調べる」 and 「プレビュー」: nothing was saved. */
  assist?: FormAssist;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const auth = await requireUser(request, { permission: "create:resource", context });
  const { input, postal } = postedResourceForm(form);
  const intent = form.get("intent");
  if (isAssistIntent(intent)) {
    const { db } = await getDatabase();
    return data<ActionData>({ errors: {}, ...(await assistResourceForm(db, { userId: auth.user.id, intent, input, postal, now: new Date() })) });
  }
  const parsed = ResourceFormSchema.safeParse(input);
  if (!parsed.success) return data<ActionData>({ errors: resourceFieldErrors(parsed.error), values: input }, { status: 400 });
  const { db } = await getDatabase();
  const actor = { id: auth.user.id, role: auth.user.role };
  const now = new Date();
  const { id } = await createResourceDraft(db, { actor, values: parsed.data, now });
  if (form.get("intent") === "save-submit") await submitResource(db, { actor, id, now });
  return redirect(`/manage/resources?saved=${id}`);
}

export default function NewResourcePage() {
  const { csrf, values, previewFrom, geocoder } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  return (
    <div className="account-page account-page--wide">
      <p>
        <Link to="/manage/resources">← 登録した情報の一覧</Link>
      </p>
      <h1>地域資源を登録する</h1>
      <p>保存すると下書きになります。審査を申請し、管理者が承認すると公開されます。</p>
      {actionData && !actionData.assist ? <Notice tone="error" message="入力内容を確認してください。各項目の下に理由を表示しています。" messageEn="Please correct the fields marked below." /> : null}
      {actionData?.assist ? <Notice tone="info" message={assistNotice(actionData.assist)} /> : null}
      <ResourceForm
        csrf={csrf}
        values={actionData?.values ?? values}
        errors={actionData?.errors ?? {}}
        submitLabel="下書きとして保存"
        assist={actionData?.assist}
        previewFrom={previewFrom}
        geocoder={geocoder}
      />
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("地域資源を登録する") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}
