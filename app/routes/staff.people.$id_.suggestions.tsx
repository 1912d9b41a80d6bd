// `/staff/people/:id/suggestions`: places that fit the latest assessment, grouped by ladder step
// starting from the step the assessment points to, each with its reasons, cautions, distance and
// next sessions. 「このまま提案する」 records a placement (提案); 「この場所が除外された理由」 explains
// any place (?why=<resource id or name>: directory data, not personal data); when nothing fits,
// the page offers to record an unmet need.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { RESOURCE_KINDS, kindLabel } from "../../db/vocabulary";
import { getSearchEngine } from "../../search/engine.server";
import { SearchUnavailableError } from "../../search/types";
import { AccountErrorBoundary, CsrfField, noStoreHeaders, Notice } from "~/accounts/ui";
import { ladderLabel } from "~/matching/vocabulary";
import { requireCaseworker } from "~/people/auth.server";
import { createPlacement } from "~/people/casework.server";
import { CASE_NUMBER_PATTERN, formErrorsOf, NOTE_MAX_CHARS, PlacementCreateSchema, UnmetNeedSchema } from "~/people/forms";
import { suggestionsForPerson } from "~/people/suggestions.server";
import { recordUnmetNeed } from "~/people/unmet-needs.server";
import { personNotFound, StaffNav, staffLinks } from "~/staff/ui";
import type { FieldErrors } from "~/utils/account-validation";
import { readForm } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { pageTitle } from "~/utils/site";

export const links = staffLinks;
export const headers = noStoreHeaders;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, audit } = await requireCaseworker(request, context);
  const caseNumber = params.id ?? "";
  if (!CASE_NUMBER_PATTERN.test(caseNumber)) personNotFound();
  const why = new URL(request.url).searchParams.get("why");
  const handle = await getDatabase();
  const result = await suggestionsForPerson(handle, getSearchEngine(), { actor, caseNumber, why, audit }).catch((error: unknown) => {
    if (error instanceof SearchUnavailableError) {
      throw data(
        { message: "検索エンジンに接続できないため、いまは提案を表示できません。しばらくしてからお試しください。", messageEn: "The search engine is unavailable." },
        { status: 503, headers: { "Cache-Control": "no-store" } },
      );
    }
    throw error;
  });
  if (result.kind === "not-found") personNotFound();
  return { csrf: (await getCsrfToken(request)).token, caseNumber, why: why ?? "", result };
}

interface ActionData {
  intent: string;
  ok: boolean;
  message: string;
  errors: FieldErrors;
}

const IntentSchema = z.enum(["propose", "unmet"]);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const { actor, audit } = await requireCaseworker(request, context, "write");
  const caseNumber = params.id ?? "";
  if (!CASE_NUMBER_PATTERN.test(caseNumber)) personNotFound();
  const intent = IntentSchema.safeParse(form.get("intent"));
  if (!intent.success) return data<ActionData>({ intent: "", ok: false, message: "操作を選んでください。", errors: {} }, { status: 400 });
  const { db } = await getDatabase();
  if (intent.data === "propose") {
    const parsed = PlacementCreateSchema.safeParse({
      resourceId: form.get("resourceId"),
      step: form.get("step") ?? undefined,
      reasons: form.getAll("reasons").filter((r) => typeof r === "string"),
    });
    if (!parsed.success) return data<ActionData>({ intent: intent.data, ok: false, message: "提案する場所を確認できませんでした。", errors: formErrorsOf(parsed.error) }, { status: 400 });
    const result = await createPlacement(db, { actor, caseNumber, ...parsed.data, audit });
    if (result.kind === "not-found") personNotFound();
    if (result.kind === "refused") return data<ActionData>({ intent: intent.data, ok: false, message: result.error.message, errors: result.error.fieldErrors }, { status: 409 });
    return redirect(`/staff/placements/${result.value.placementId}?created=1`);
  }
  const parsed = UnmetNeedSchema.safeParse({ kinds: form.getAll("kinds").filter((k) => typeof k === "string"), note: form.get("note") ?? undefined });
  const validKinds = new Set<string>(RESOURCE_KINDS.map((k) => k.code));
  if (!parsed.success || parsed.data.kinds.some((k) => !validKinds.has(k))) {
    return data<ActionData>({ intent: intent.data, ok: false, message: "入力内容を確認してください。", errors: parsed.success ? { kinds: ["場所の種類を一覧から選んでください"] } : formErrorsOf(parsed.error) }, { status: 400 });
  }
  const result = await recordUnmetNeed(db, { actor, caseNumber, kinds: parsed.data.kinds, note: parsed.data.note ?? null, audit });
  if (result.kind === "not-found") personNotFound();
  if (result.kind === "refused") return data<ActionData>({ intent: intent.data, ok: false, message: result.error.message, errors: {} }, { status: 409 });
  return data<ActionData>({
    intent: intent.data,
    ok: true,
    message: "不足している社会資源として記録しました。合う場所が新しく公開されたら、お知らせでお伝えします。",
    errors: {},
  });
}

function UnmetNeedForm({ csrf, prominent }: { csrf: string; prominent: boolean }) {
  return (
    <Form method="post" className="account-form">
      <CsrfField token={csrf} />
      <fieldset className="field-group">
        <legend>求める場所の種類（わかれば）</legend>
        <div className="checkbox-row">
          {RESOURCE_KINDS.filter((k) => k.group === "place").map((k) => (
            <label key={k.code}>
              <input type="checkbox" name="kinds" value={k.code} /> {k.label}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor="unmet-note">メモ（担当者用。集計には出ません）</label>
        <textarea id="unmet-note" name="note" rows={2} maxLength={NOTE_MAX_CHARS} />
      </div>
      <div>
        <button type="submit" name="intent" value="unmet" className={prominent ? "button--primary" : undefined}>
          合う場所がない（不足している社会資源として記録）
        </button>
      </div>
    </Form>
  );
}

export default function SuggestionsPage() {
  const { csrf, caseNumber, why, result } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [searchParams] = useSearchParams();
  const saved = searchParams.get("saved");
  return (
    <div className="account-page account-page--wide">
      <p>
        <Link to={`/staff/people/${caseNumber}`}>← ケース {caseNumber}</Link>
      </p>
      <h1>合う場所の提案（ケース {caseNumber}）</h1>
      <StaffNav />
      {saved ? <Notice message={`アセスメント第${saved}版を保存しました。`} /> : null}
      {actionData ? <Notice tone={actionData.ok ? "info" : "error"} message={actionData.message} /> : null}
      {result.kind === "no-assessment" ? (
        <p>
          まだアセスメントがありません。<Link to={`/staff/people/${caseNumber}/assessment`}>アセスメントを記録する</Link>と、合う場所を提案します。
        </p>
      ) : result.kind === "invalid-assessment" ? (
        <Notice tone="error" message={`アセスメントの内容を読み取れません: ${result.errors.join(" ")}`} />
      ) : (
        <>
          <p>
            アセスメント第{result.version}版（{result.assessedOn}）をもとに、{result.candidateCount}か所を調べ、{result.suggestionCount}か所が合いました（条件に合わず除外: {result.excludedCount}か所）。
            <Link to={`/staff/people/${caseNumber}/assessment`}>アセスメントを更新する</Link>
          </p>
          <p>始める段階: {ladderLabel(result.startStep)}</p>
          {result.unmet ? (
            <section className="notice notice--warning" aria-labelledby="unmet-offer-heading">
              <h2 id="unmet-offer-heading">十分に合う場所が見つかりませんでした</h2>
              <p>不足している社会資源として記録すると、地区ごとの集計に加わり、合う場所が新しく公開されたときにお知らせが届きます。</p>
              <UnmetNeedForm csrf={csrf} prominent />
            </section>
          ) : null}
          {result.groups.map((group) => (
            <section key={group.step} className="staff-section" aria-labelledby={`step-${group.step}`}>
              <h2 id={`step-${group.step}`}>
                段階{group.step}: {group.label}（{group.suggestions.length}件）
              </h2>
              {group.suggestions.map((s) => (
                <article key={s.resourceId} className="suggestion">
                  <h3>
                    <Link to={`/places/${s.resourceId}`}>{s.name}</Link> <span className="badge">{kindLabel(s.kind)}</span>{" "}
                    {s.sample ? <span className="badge badge--sample">サンプル</span> : null}
                  </h3>
                  <p>
                    適合度 {s.score}
                    {s.distanceKm !== null ? ` ／ 距離 ${s.distanceKm.toFixed(1)}km` : ""}
                  </p>
                  <ul aria-label="理由">
                    {s.reasons.map((r, i) => (
                      <li key={i}>{r}</li>
                    ))}
                  </ul>
                  {s.cautions.length ? (
                    <ul className="suggestion__cautions" aria-label="注意">
                      {s.cautions.map((c, i) => (
                        <li key={i}>注意: {c}</li>
                      ))}
                    </ul>
                  ) : null}
                  {s.nextSessions.length ? <p>次の開催（空いている時間帯）: {s.nextSessions.slice(0, 3).join("、")}</p> : null}
                  <Form method="post" className="account-form--inline">
                    <CsrfField token={csrf} />
                    <input type="hidden" name="resourceId" value={s.resourceId} />
                    <input type="hidden" name="step" value={s.step} />
                    {s.reasons.map((r, i) => (
                      <input key={i} type="hidden" name="reasons" value={r} />
                    ))}
                    <button type="submit" name="intent" value="propose" aria-label={`${s.name}をこのまま提案する`}>
                      このまま提案する
                    </button>
                  </Form>
                </article>
              ))}
            </section>
          ))}

          <section className="staff-section" aria-labelledby="why-heading">
            <h2 id="why-heading">この場所が除外された理由</h2>
            <Form method="get" className="account-form--inline">
              <div className="field">
                <label htmlFor="why">場所の名前または番号</label>
                <input id="why" name="why" type="text" defaultValue={why} maxLength={100} />
              </div>
              <button type="submit">理由を見る</button>
            </Form>
            {result.why?.kind === "explained" ? (
              <div className="suggestion" role="status">
                <h3>
                  <Link to={`/places/${result.why.resourceId}`}>{result.why.name}</Link>: {result.why.excluded ? "除外されています" : "条件には合っています"}
                </h3>
                <ul>
                  {result.why.reasons.map((r, i) => (
                    <li key={i}>{r}</li>
                  ))}
                </ul>
                {result.why.cautions.length ? <p className="suggestion__cautions">注意: {result.why.cautions.join("、")}</p> : null}
              </div>
            ) : result.why?.kind === "choices" ? (
              <div role="status">
                <p>「{result.why.query}」に当てはまる場所が複数あります。選んでください。</p>
                <ul>
                  {result.why.choices.map((c) => (
                    <li key={c.id}>
                      <Link to={`?why=${c.id}`}>{c.name}</Link>
                    </li>
                  ))}
                </ul>
              </div>
            ) : result.why?.kind === "none" ? (
              <p role="status">「{result.why.query}」という公開中の場所は見つかりません。</p>
            ) : null}
          </section>

          {!result.unmet ? (
            <section className="staff-section" aria-labelledby="unmet-heading">
              <h2 id="unmet-heading">提案の中に合う場所がないとき</h2>
              <UnmetNeedForm csrf={csrf} prominent={false} />
            </section>
          ) : null}
        </>
      )}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("合う場所の提案") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}
