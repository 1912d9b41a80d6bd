// `/staff/placements/:id`: one placement (つなぎ): its lifecycle 提案 → 見学 → 体験 → 参加中 → 定着
// (or 中断 / 終了) with a dated event per transition, who made it and a note; the host contact
// (受け入れ先担当者) and 移行促進費. Only the legal next states are offered, and the server refuses
// any other. Reached through the person's gate: a placement of a hidden person is 404.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { kindLabel } from "../../db/vocabulary";
import { AccountErrorBoundary, CsrfField, errorProps, FieldError, noStoreHeaders, Notice } from "~/accounts/ui";
import { ladderLabel } from "~/matching/vocabulary";
import { requireCaseworker } from "~/people/auth.server";
import { getPlacement, transitionPlacement, updatePlacementDetails } from "~/people/casework.server";
import { formErrorsOf, NOTE_MAX_CHARS, PlacementDetailsSchema, PlacementTransitionSchema, TEXT_MAX_CHARS } from "~/people/forms";
import { todayInTokyo } from "~/people/people.server";
import { isPlacementStatus, nextStatuses, placementStatusLabel, transitionLabel } from "~/people/placement";
import { personNotFound, StaffNav, staffLinks } from "~/staff/ui";
import { formFields, type FieldErrors } from "~/utils/account-validation";
import { readForm } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { attendanceSchema, recordAttendance } from "~/followup/attendance.server";
import { formatOffsets, offsetsSchema, parseOffsetsText, setFollowUpOffsets } from "~/followup/followups.server";
import { DEFAULT_OFFSETS } from "~/followup/schedule";
import { getDatabase } from "~/utils/db.server";
import { pageTitle } from "~/utils/site";

export const links = staffLinks;
export const headers = noStoreHeaders;

function placementIdOf(param: string | undefined): number {
  const id = /^\d{1,9}$/.test(param ?? "") ? Number(param) : NaN;
  if (!Number.isInteger(id) || id <= 0) personNotFound();
  return id;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, audit } = await requireCaseworker(request, context);
  const placementId = placementIdOf(params.id);
  const { db } = await getDatabase();
  const result = await getPlacement(db, { actor, placementId, audit });
  if (result.kind !== "ok") personNotFound();
  const { caseNumber, placement, events, attendance } = result.value;
  return {
    csrf: (await getCsrfToken(request)).token,
    today: todayInTokyo(),
    caseNumber,
    placement: { ...placement, kind: kindLabel(placement.resourceKind), followUpOffsets: undefined },
    offsetsText: formatOffsets(offsetsSchema.safeParse(placement.followUpOffsets).data ?? DEFAULT_OFFSETS),
    events,
    attendance,
    next: isPlacementStatus(placement.status) ? nextStatuses(placement.status) : [],
  };
}

interface ActionData {
  intent: string;
  ok: boolean;
  message?: string;
  errors: FieldErrors;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const { actor, audit } = await requireCaseworker(request, context, "write");
  const placementId = placementIdOf(params.id);
  const intent = form.get("intent");
  const { db } = await getDatabase();
  if (intent === "transition") {
    const parsed = PlacementTransitionSchema.safeParse(formFields(form, ["toStatus", "on", "note"]));
    if (!parsed.success) return data<ActionData>({ intent, ok: false, errors: formErrorsOf(parsed.error) }, { status: 400 });
    const result = await transitionPlacement(db, { actor, placementId, ...parsed.data, audit });
    if (result.kind === "not-found") personNotFound();
    if (result.kind === "refused") return data<ActionData>({ intent, ok: false, message: result.error.message, errors: result.error.fieldErrors }, { status: 409 });
    return data<ActionData>({ intent, ok: true, message: `「${placementStatusLabel(parsed.data.toStatus)}」を記録しました。`, errors: {} });
  }
  if (intent === "details") {
    const parsed = PlacementDetailsSchema.safeParse(formFields(form, ["hostContact", "costSupport", "costSupportYen", "costSupportNote"]));
    if (!parsed.success) return data<ActionData>({ intent, ok: false, errors: formErrorsOf(parsed.error) }, { status: 400 });
    const result = await updatePlacementDetails(db, { actor, placementId, values: parsed.data, audit });
    if (result.kind === "not-found") personNotFound();
    return data<ActionData>({ intent, ok: true, message: "受け入れ先・移行促進費の記録を保存しました。", errors: {} });
  }
  if (intent === "offsets") {
    const offsets = parseOffsetsText(String(form.get("offsets") ?? ""));
    if (!offsets) {
      return data<ActionData>(
        { intent, ok: false, errors: { offsets: ["「1週、2週、1か月、2か月、3か月」のように、週か「か月」を付けた数を読点で区切って入力してください（20個まで）。"] } },
        { status: 400 }
      );
    }
    const result = await setFollowUpOffsets(db, { actor, placementId, offsets, today: todayInTokyo(), audit });
    if (result.kind === "not-found") personNotFound();
    if (result.kind === "refused") return data<ActionData>({ intent, ok: false, message: result.error.message, errors: {} }, { status: 409 });
    return data<ActionData>({ intent, ok: true, message: `フォローアップの間隔を「${formatOffsets(offsets)}」にしました（今後の予定 ${result.value.replanned}件）。`, errors: {} });
  }
  if (intent === "attendance") {
    const parsed = attendanceSchema.safeParse(formFields(form, ["on", "attended"]));
    if (!parsed.success) return data<ActionData>({ intent, ok: false, errors: formErrorsOf(parsed.error) }, { status: 400 });
    const result = await recordAttendance(db, { actor, placementId, ...parsed.data, audit });
    if (result.kind === "not-found") personNotFound();
    if (result.kind === "refused") return data<ActionData>({ intent, ok: false, message: result.error.message, errors: {} }, { status: 409 });
    return data<ActionData>({ intent, ok: true, message: `${parsed.data.on} の参加を「${parsed.data.attended ? "参加した" : "来なかった"}」と記録しました。`, errors: {} });
  }
  return data<ActionData>({ intent: "", ok: false, message: "操作を選んでください。", errors: {} }, { status: 400 });
}

export default function PlacementPage() {
  const { csrf, today, caseNumber, placement, events, attendance, next, offsetsText } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const transitionErrors = actionData?.intent === "transition" ? actionData.errors : {};
  const detailErrors = actionData?.intent === "details" ? actionData.errors : {};
  const attendanceErrors = actionData?.intent === "attendance" ? actionData.errors : {};
  const offsetErrors = actionData?.intent === "offsets" ? actionData.errors : {};
  const current = isPlacementStatus(placement.status) ? placement.status : undefined;
  return (
    <div className="account-page account-page--wide">
      <p>
        <Link to={`/staff/people/${caseNumber}`}>← ケース {caseNumber}</Link>
      </p>
      <h1>
        つなぎ: {placement.resourceName}（{placementStatusLabel(placement.status)}）
      </h1>
      <StaffNav />
      {actionData?.message ? <Notice tone={actionData.ok ? "info" : "error"} message={actionData.message} /> : null}
      <dl className="staff-grid">
        <dt>ケース</dt>
        <dd>{caseNumber}</dd>
        <dt>場所</dt>
        <dd>
          <Link to={`/places/${placement.resourceId}`}>{placement.resourceName}</Link>（{placement.kind}）
        </dd>
        <dt>いまの状況</dt>
        <dd>{placementStatusLabel(placement.status)}</dd>
        <dt>段階</dt>
        <dd>{placement.step ? ladderLabel(placement.step) : "—"}</dd>
        <dt>提案の理由</dt>
        <dd>{placement.reasons.length ? placement.reasons.join("、") : "—"}</dd>
      </dl>

      <section className="staff-section" aria-labelledby="events-heading">
        <h2 id="events-heading">経過</h2>
        <div className="data-table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">日付</th>
                <th scope="col">状況</th>
                <th scope="col">記録者</th>
                <th scope="col">メモ</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td>{e.on}</td>
                  <td>
                    {e.fromStatus ? `${placementStatusLabel(e.fromStatus)} → ` : ""}
                    {placementStatusLabel(e.toStatus)}
                  </td>
                  <td>{e.by ?? "—"}</td>
                  <td className="pre-line">{e.note ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {next.length === 0 ? (
          <p>このつなぎは終了しています。</p>
        ) : (
          <Form method="post" className="account-form">
            <CsrfField token={csrf} />
            <div className="field">
              <label htmlFor="transition-to">次の状況</label>
              <select id="transition-to" name="toStatus" defaultValue={next[0]} {...errorProps("transition-to", transitionErrors.toStatus)}>
                {next.map((s) => (
                  <option key={s} value={s}>
                    {transitionLabel(s, current)}
                  </option>
                ))}
              </select>
              <FieldError id="transition-to-error" errors={transitionErrors.toStatus} />
            </div>
            <div className="field">
              <label htmlFor="transition-on">日付</label>
              <input id="transition-on" name="on" type="date" defaultValue={today} {...errorProps("transition-on", transitionErrors.on)} />
              <FieldError id="transition-on-error" errors={transitionErrors.on} />
            </div>
            <div className="field">
              <label htmlFor="transition-note">メモ（本人の様子、受け入れ先の反応など）</label>
              <textarea id="transition-note" name="note" rows={3} maxLength={NOTE_MAX_CHARS} {...errorProps("transition-note", transitionErrors.note)} />
              <FieldError id="transition-note-error" errors={transitionErrors.note} />
            </div>
            <div>
              <button type="submit" name="intent" value="transition" className="button--primary">
                記録する
              </button>
            </div>
          </Form>
        )}
      </section>

      <section className="staff-section" aria-labelledby="offsets-heading">
        <h2 id="offsets-heading">フォローアップの間隔</h2>
        <p>
          見学・体験・参加中になった日から数えて、この間隔で本人と受け入れ先の両方に連絡する予定を作ります（最後の間隔のあとは3か月ごと）。変えると、今日以降のまだ済んでいない予定が作り直されます。
          <Link to={`/staff/people/${caseNumber}/follow-ups`}>予定と記録を見る</Link>
        </p>
        <Form method="post" className="account-form">
          <CsrfField token={csrf} />
          <div className="field">
            <label htmlFor="offsets">間隔（例: 1週、2週、1か月、2か月、3か月）</label>
            <input id="offsets" name="offsets" type="text" defaultValue={offsetsText} {...errorProps("offsets", offsetErrors.offsets)} />
            <FieldError id="offsets-error" errors={offsetErrors.offsets} />
          </div>
          <div>
            <button type="submit" name="intent" value="offsets">
              間隔を保存
            </button>
          </div>
        </Form>
      </section>

      <section className="staff-section" aria-labelledby="attendance-heading">
        <h2 id="attendance-heading">参加の記録</h2>
        <p>受け入れ先や本人から聞いた、開催日ごとの参加の有無です。「来なかった」のままだとダッシュボードに表示されます。</p>
        {attendance.length > 0 ? (
          <ul className="link-list">
            {attendance.map((a) => (
              <li key={a.on}>
                {a.on}：{a.attended === null ? "未確認" : a.attended ? "参加した" : "来なかった"}
              </li>
            ))}
          </ul>
        ) : (
          <p>まだ記録はありません。</p>
        )}
        <Form method="post" className="account-form">
          <CsrfField token={csrf} />
          <div className="field">
            <label htmlFor="attendance-on">開催日</label>
            <input id="attendance-on" name="on" type="date" defaultValue={today} {...errorProps("attendance-on", attendanceErrors.on)} />
            <FieldError id="attendance-on-error" errors={attendanceErrors.on} />
          </div>
          <fieldset className="field">
            <legend>参加</legend>
            <label>
              <input type="radio" name="attended" value="yes" defaultChecked /> 参加した
            </label>{" "}
            <label>
              <input type="radio" name="attended" value="no" /> 来なかった
            </label>
            <FieldError id="attendance-attended-error" errors={attendanceErrors.attended} />
          </fieldset>
          <div>
            <button type="submit" name="intent" value="attendance">
              参加状況を保存
            </button>
          </div>
        </Form>
      </section>

      <section className="staff-section" aria-labelledby="details-heading">
        <h2 id="details-heading">受け入れ先と移行促進費</h2>
        <Form method="post" className="account-form">
          <CsrfField token={csrf} />
          <div className="field">
            <label htmlFor="details-host">受け入れ先担当者（氏名・連絡先）</label>
            <input id="details-host" name="hostContact" type="text" maxLength={TEXT_MAX_CHARS} defaultValue={placement.hostContact ?? ""} {...errorProps("details-host", detailErrors.hostContact)} />
            <FieldError id="details-host-error" errors={detailErrors.hostContact} />
          </div>
          <div className="field">
            <label>
              <input type="checkbox" name="costSupport" defaultChecked={placement.costSupport} {...errorProps("details-cost", detailErrors.costSupport)} /> 移行促進費あり（食費・作業着など、参加にかかる費用の支援）
            </label>
            <FieldError id="details-cost-error" errors={detailErrors.costSupport} />
          </div>
          <div className="field">
            <label htmlFor="details-yen">金額（円）</label>
            <input id="details-yen" name="costSupportYen" type="text" inputMode="numeric" defaultValue={placement.costSupportYen ?? ""} {...errorProps("details-yen", detailErrors.costSupportYen)} />
            <FieldError id="details-yen-error" errors={detailErrors.costSupportYen} />
          </div>
          <div className="field">
            <label htmlFor="details-note">内容</label>
            <textarea id="details-note" name="costSupportNote" rows={2} maxLength={NOTE_MAX_CHARS} defaultValue={placement.costSupportNote ?? ""} {...errorProps("details-note", detailErrors.costSupportNote)} />
            <FieldError id="details-note-error" errors={detailErrors.costSupportNote} />
          </div>
          <div>
            <button type="submit" name="intent" value="details">
              保存する
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("つなぎの記録") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}
