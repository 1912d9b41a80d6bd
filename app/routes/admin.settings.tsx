// `/admin/settings`: administrators set how long each class of record is kept (retention, used by
// `npm run purge`) and the settled rule of 定着支援 (the つながり評価 threshold and how many months it
// must hold before the dashboard proposes 定着). Every change is audited.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { accountLinks, AccountErrorBoundary, CsrfField, errorProps, FieldError, noStoreHeaders, Notice } from "~/accounts/ui";
import { getRetention, RETENTION_CLASSES, retentionSchema, setRetention } from "~/governance/retention.server";
import { getSettledRule, setSettledRule, settledRuleSchema } from "~/governance/settings.server";
import { EVALUATION_SCALE } from "~/followup/schedule";
import { fieldErrorsOf, formFields, type FieldErrors } from "~/utils/account-validation";
import { recordAudit } from "~/utils/audit.server";
import { readForm, requireUser } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { requestInfo } from "~/utils/request.server";
import { pageTitle } from "~/utils/site";

export const links = accountLinks;
export const headers = noStoreHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, { permission: "manage:users", context });
  const { db } = await getDatabase();
  return { csrf: (await getCsrfToken(request)).token, retention: await getRetention(db), settledRule: await getSettledRule(db) };
}

interface ActionData {
  intent: string;
  ok: boolean;
  message?: string;
  errors: FieldErrors;
  values?: Record<string, string>;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const auth = await requireUser(request, { permission: "manage:users", context });
  const info = requestInfo(request, context);
  const actor = { id: auth.user.id, role: auth.user.role };
  const intent = String(form.get("intent") ?? "");
  const { db } = await getDatabase();
  if (intent === "retention") {
    const fields = formFields(form, RETENTION_CLASSES.map((c) => c.key));
    const parsed = retentionSchema.safeParse(fields);
    if (!parsed.success) return data<ActionData>({ intent, ok: false, errors: fieldErrorsOf(parsed.error), values: fields as Record<string, string> }, { status: 400 });
    await db.transaction(async (tx) => {
      await setRetention(tx, parsed.data, auth.user.id);
      await recordAudit(tx, { action: "settings.update", actor, recordType: "settings", recordId: "retention", purpose: "保存期間の変更", requestId: info.requestId, ipHash: info.ipHash });
    });
    return data<ActionData>({ intent, ok: true, message: "保存期間を保存しました。", errors: {} });
  }
  if (intent === "settled") {
    const fields = formFields(form, ["threshold", "months"]);
    const parsed = settledRuleSchema.safeParse(fields);
    if (!parsed.success) return data<ActionData>({ intent, ok: false, errors: fieldErrorsOf(parsed.error), values: fields as Record<string, string> }, { status: 400 });
    await db.transaction(async (tx) => {
      await setSettledRule(tx, parsed.data, auth.user.id);
      await recordAudit(tx, { action: "settings.update", actor, recordType: "settings", recordId: "settled_rule", purpose: "定着の判定基準の変更", requestId: info.requestId, ipHash: info.ipHash });
    });
    return data<ActionData>({ intent, ok: true, message: "定着の判定基準を保存しました。", errors: {} });
  }
  return data<ActionData>({ intent, ok: false, message: "操作を選んでください。", errors: {} }, { status: 400 });
}

export default function AdminSettingsPage() {
  const { csrf, retention, settledRule } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const errorsFor = (intent: string) => (actionData?.intent === intent ? actionData.errors : {});
  const valueOf = (intent: string, key: string, fallback: number) => (actionData?.intent === intent && actionData.values?.[key] !== undefined ? actionData.values[key] : String(fallback));
  const retentionErrors = errorsFor("retention");
  const settledErrors = errorsFor("settled");
  return (
    <div className="account-page">
      <h1>設定（保存期間・定着の判定）</h1>
      {actionData?.message || (actionData && !actionData.ok) ? (
        <Notice tone={actionData.ok ? "info" : "error"} message={actionData.message ?? "入力を確かめてください。"} />
      ) : null}
      <section aria-labelledby="retention-heading">
        <h2 id="retention-heading">記録の保存期間</h2>
        <p>
          期間を過ぎた記録は <code>npm run purge</code>（毎日の定期実行）で削除され、監査ログにケース番号だけが残ります。監査ログ自体は削除されません。
        </p>
        <Form method="post" className="account-form">
          <CsrfField token={csrf} />
          {RETENTION_CLASSES.map((c) => (
            <div className="field" key={c.key}>
              <label htmlFor={`r-${c.key}`}>
                {c.label}（{c.unit}）
              </label>
              <input id={`r-${c.key}`} name={c.key} type="text" inputMode="numeric" required defaultValue={valueOf("retention", c.key, retention[c.key])} {...errorProps(`r-${c.key}`, retentionErrors[c.key])} />
              <FieldError id={`r-${c.key}-error`} errors={retentionErrors[c.key]} />
            </div>
          ))}
          <div>
            <button type="submit" name="intent" value="retention" className="button--primary">
              保存期間を保存する
            </button>
          </div>
        </Form>
      </section>
      <section aria-labelledby="settled-heading">
        <h2 id="settled-heading">定着の判定</h2>
        <p>つながり評価（4項目の平均）がこの値以上で、この期間続いたつなぎを、ダッシュボードで「定着の確認」として提案します。記録するのは担当者です。</p>
        <Form method="post" className="account-form">
          <CsrfField token={csrf} />
          <div className="field">
            <label htmlFor="s-threshold">評価の基準（1〜4。{EVALUATION_SCALE.map((s) => `${s.value}=${s.label}`).join("、")}）</label>
            <input id="s-threshold" name="threshold" type="text" inputMode="decimal" required defaultValue={valueOf("settled", "threshold", settledRule.threshold)} {...errorProps("s-threshold", settledErrors.threshold)} />
            <FieldError id="s-threshold-error" errors={settledErrors.threshold} />
          </div>
          <div className="field">
            <label htmlFor="s-months">続いた期間（か月）</label>
            <input id="s-months" name="months" type="text" inputMode="numeric" required defaultValue={valueOf("settled", "months", settledRule.months)} {...errorProps("s-months", settledErrors.months)} />
            <FieldError id="s-months-error" errors={settledErrors.months} />
          </div>
          <div>
            <button type="submit" name="intent" value="settled" className="button--primary">
              定着の判定を保存する
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("設定") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}
