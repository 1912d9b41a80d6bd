// The plan pages' shared pieces (browser-safe): the plan form's values and fields (goals, 役割分担
// rows that grow without JavaScript through 「行を追加」, linked placements, programmes, monitoring
// dates), the read-only view of one version, and the vocabularies the pages label things with.
import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { AccountErrorBoundary, errorProps, FieldError } from "~/accounts/ui";
import { placementStatusLabel } from "~/people/placement";
import type { FieldErrors } from "~/utils/account-validation";
import { PLAN_PROGRAMMES } from "./lifecycle";
import planStylesHref from "./plans.css";

export const planStylesLinks = () => [{ rel: "stylesheet", href: planStylesHref }];

/** Empty 役割分担 rows a new form starts with; 「行を追加」 adds one (up to the model's 30). */
export const PLAN_ACTION_ROWS = 3;
export const PLAN_ACTION_ROWS_MAX = 30;
export const MONITORING_DATE_ROWS = 4;
export const PLAN_GOAL_MAX_CHARS = 2000;
export const PLAN_ACTION_MAX_CHARS = 500;
export const PLAN_AGENCY_MAX_CHARS = 200;

export const programmeLabel = (code: string) => PLAN_PROGRAMMES.find((p) => p.code === code)?.label ?? code;

/** How a contact attempt before 中断 was made (the model's contactAttemptSchema codes). */
export const CONTACT_METHODS = [
  { code: "visit", label: "訪問" },
  { code: "phone", label: "電話" },
  { code: "letter", label: "手紙" },
  { code: "message", label: "メール・メッセージ" },
  { code: "other", label: "その他（関係者への聞き取りなど）" },
] as const;
export const contactMethodLabel = (code: string) => CONTACT_METHODS.find((m) => m.code === code)?.label ?? code;

export interface PlanFormValues {
  shortTermGoal: string;
  longTermGoal: string;
  actions: { action: string; agency: string }[];
  placementIds: string[];
  programmes: string[];
  monitoringDates: string[];
  nextReviewOn: string;
}

export function emptyPlanForm(): PlanFormValues {
  return {
    shortTermGoal: "",
    longTermGoal: "",
    actions: Array.from({ length: PLAN_ACTION_ROWS }, () => ({ action: "", agency: "" })),
    placementIds: [],
    programmes: [],
    monitoringDates: Array.from({ length: MONITORING_DATE_ROWS }, () => ""),
    nextReviewOn: "",
  };
}

export interface PlanContentLike {
  shortTermGoal: string;
  longTermGoal: string;
  actions: { action: string; agency: string }[];
  placementIds: number[];
  monitoringDates: string[];
}

/** A stored version back into the form (the revise form starts from the current version). */
export function planFormFromContent(content: PlanContentLike, plan: { programmes: string[]; nextReviewOn: string | null }): PlanFormValues {
  const actions = [...content.actions, { action: "", agency: "" }];
  const dates = [...content.monitoringDates];
  while (dates.length < MONITORING_DATE_ROWS) dates.push("");
  return {
    shortTermGoal: content.shortTermGoal,
    longTermGoal: content.longTermGoal,
    actions,
    placementIds: content.placementIds.map(String),
    programmes: [...plan.programmes],
    monitoringDates: dates,
    nextReviewOn: plan.nextReviewOn ?? "",
  };
}

export interface PlacementChoice {
  id: number;
  status: string;
  resourceName: string;
}

/** The plan form's fields; the caller supplies the <Form>, the CSRF field and the submit buttons. */
export function PlanFields({
  prefix,
  values,
  errors,
  placements,
  addRowIntent,
}: {
  prefix: string;
  values: PlanFormValues;
  errors: FieldErrors;
  placements: readonly PlacementChoice[];
  addRowIntent: string;
}) {
  const id = (name: string) => `${prefix}-${name}`;
  return (
    <>
      <div className="field">
        <label htmlFor={id("short")}>短期目標（必須）</label>
        <textarea id={id("short")} name="shortTermGoal" rows={3} maxLength={PLAN_GOAL_MAX_CHARS} defaultValue={values.shortTermGoal} {...errorProps(id("short"), errors.shortTermGoal)} />
        <FieldError id={`${id("short")}-error`} errors={errors.shortTermGoal} />
      </div>
      <div className="field">
        <label htmlFor={id("long")}>長期目標</label>
        <textarea id={id("long")} name="longTermGoal" rows={3} maxLength={PLAN_GOAL_MAX_CHARS} defaultValue={values.longTermGoal} {...errorProps(id("long"), errors.longTermGoal)} />
        <FieldError id={`${id("long")}-error`} errors={errors.longTermGoal} />
      </div>

      <fieldset className="field-group">
        <legend>役割分担（支援内容と担当機関）</legend>
        <p className="field__hint">空の行は保存されません。行が足りないときは「行を追加」を押してください（入力した内容はそのまま残ります）。</p>
        <input type="hidden" name="actionRows" value={values.actions.length} />
        <table className="data-table plan-actions">
          <thead>
            <tr>
              <th scope="col">番号</th>
              <th scope="col">支援内容</th>
              <th scope="col">担当機関</th>
            </tr>
          </thead>
          <tbody>
            {values.actions.map((row, i) => {
              const actionKey = `actions.${i}.action`;
              const agencyKey = `actions.${i}.agency`;
              return (
                <tr key={i}>
                  <td>{i + 1}</td>
                  <td>
                    <label className="visually-hidden" htmlFor={id(`action-${i}`)}>
                      {`支援内容 ${i + 1}`}
                    </label>
                    <input id={id(`action-${i}`)} name={actionKey} type="text" maxLength={PLAN_ACTION_MAX_CHARS} defaultValue={row.action} {...errorProps(id(`action-${i}`), errors[actionKey])} />
                    <FieldError id={`${id(`action-${i}`)}-error`} errors={errors[actionKey]} />
                  </td>
                  <td>
                    <label className="visually-hidden" htmlFor={id(`agency-${i}`)}>
                      {`担当機関 ${i + 1}`}
                    </label>
                    <input id={id(`agency-${i}`)} name={agencyKey} type="text" maxLength={PLAN_AGENCY_MAX_CHARS} defaultValue={row.agency} {...errorProps(id(`agency-${i}`), errors[agencyKey])} />
                    <FieldError id={`${id(`agency-${i}`)}-error`} errors={errors[agencyKey]} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <FieldError id={`${id("actions")}-error`} errors={errors.actions} />
        {values.actions.length < PLAN_ACTION_ROWS_MAX ? (
          <p>
            <button type="submit" name="intent" value={addRowIntent} formNoValidate>
              行を追加
            </button>
          </p>
        ) : null}
      </fieldset>

      <fieldset className="field-group" aria-describedby={errors.placementIds ? `${id("placements")}-error` : undefined}>
        <legend>このプランに結びつけるつなぎ</legend>
        {placements.length === 0 ? (
          <p>この本人のつなぎ（マッチング）はまだありません。</p>
        ) : (
          <div className="checkbox-row">
            {placements.map((p) => (
              <label key={p.id}>
                <input type="checkbox" name="placementIds" value={p.id} defaultChecked={values.placementIds.includes(String(p.id))} /> {p.resourceName}（{placementStatusLabel(p.status)}）
              </label>
            ))}
          </div>
        )}
        <FieldError id={`${id("placements")}-error`} errors={errors.placementIds} />
      </fieldset>

      <fieldset className="field-group" aria-describedby={`${id("programmes")}-hint${errors.programmes ? ` ${id("programmes")}-error` : ""}`}>
        <legend>利用する事業</legend>
        <p className="field__hint" id={`${id("programmes")}-hint`}>
          参加支援・アウトリーチ等を通じた継続的支援を使うプランは、重層的支援会議での評価のあと、市町村の支援決定を受けてから実施します。ほかの事業だけのプランは会議への報告のみで実施できます。
        </p>
        <div className="checkbox-row">
          {PLAN_PROGRAMMES.map((p) => (
            <label key={p.code}>
              <input type="checkbox" name="programmes" value={p.code} defaultChecked={values.programmes.includes(p.code)} /> {p.label}
              {p.needsDecision ? "（支援決定が必要）" : ""}
            </label>
          ))}
        </div>
        <FieldError id={`${id("programmes")}-error`} errors={errors.programmes} />
      </fieldset>

      <fieldset className="field-group">
        <legend>モニタリングの時期</legend>
        <div className="plan-dates">
          {values.monitoringDates.map((date, i) => {
            const key = `monitoringDates.${i}`;
            return (
              <div className="field" key={i}>
                <label htmlFor={id(`monitoring-${i}`)}>{`モニタリング ${i + 1}`}</label>
                <input id={id(`monitoring-${i}`)} name={key} type="date" defaultValue={date} {...errorProps(id(`monitoring-${i}`), errors[key])} />
                <FieldError id={`${id(`monitoring-${i}`)}-error`} errors={errors[key]} />
              </div>
            );
          })}
        </div>
        <input type="hidden" name="monitoringRows" value={values.monitoringDates.length} />
      </fieldset>

      <div className="field">
        <label htmlFor={id("review")}>次の見直し予定日</label>
        <input id={id("review")} name="nextReviewOn" type="date" defaultValue={values.nextReviewOn} {...errorProps(id("review"), errors.nextReviewOn)} />
        <FieldError id={`${id("review")}-error`} errors={errors.nextReviewOn} />
      </div>
    </>
  );
}

/** One version's content, read-only (the plan page and the printed sheet). */
export function PlanContentView({ content, placements, changed }: { content: PlanContentLike; placements: readonly PlacementChoice[]; changed?: readonly string[] }) {
  const mark = (key: string) => (changed?.includes(key) ? <span className="badge badge--changed">前の版から変更</span> : null);
  const placementName = (id: number) => {
    const p = placements.find((x) => x.id === id);
    return p ? `${p.resourceName}（${placementStatusLabel(p.status)}）` : `つなぎ #${id}`;
  };
  return (
    <dl className="staff-grid plan-content">
      <dt>短期目標 {mark("shortTermGoal")}</dt>
      <dd className="pre-line">{content.shortTermGoal}</dd>
      <dt>長期目標 {mark("longTermGoal")}</dt>
      <dd className="pre-line">{content.longTermGoal || "—"}</dd>
      <dt>役割分担 {mark("actions")}</dt>
      <dd>
        {content.actions.length === 0 ? (
          "—"
        ) : (
          <ol className="plan-action-list">
            {content.actions.map((a, i) => (
              <li key={i}>
                {a.action}（担当：{a.agency}）
              </li>
            ))}
          </ol>
        )}
      </dd>
      <dt>つなぎ {mark("placementIds")}</dt>
      <dd>{content.placementIds.length === 0 ? "—" : content.placementIds.map(placementName).join("、")}</dd>
      <dt>モニタリング {mark("monitoringDates")}</dt>
      <dd>{content.monitoringDates.length === 0 ? "—" : content.monitoringDates.join("、")}</dd>
    </dl>
  );
}

/** Which content fields differ between two versions (for the history's 「前の版から変更」). */
export function changedFields(current: PlanContentLike, previous: PlanContentLike | undefined): string[] {
  if (!previous) return [];
  const keys = ["shortTermGoal", "longTermGoal", "actions", "placementIds", "monitoringDates"] as const;
  return keys.filter((k) => JSON.stringify(current[k]) !== JSON.stringify(previous[k]));
}

/** 409 (a plan of a person without consent 同意) explained; everything else as on account pages. */
export function PlanErrorBoundary() {
  const error = useRouteError();
  if (!isRouteErrorResponse(error) || error.status !== 409) return <AccountErrorBoundary />;
  const payload = (error.data ?? {}) as { message?: unknown; messageEn?: unknown };
  return (
    <div className="error-page">
      <h1>プランを表示できません</h1>
      <p className="error-page__message">{typeof payload.message === "string" ? payload.message : "このプランはいまは表示できません。"}</p>
      {typeof payload.messageEn === "string" ? (
        <p lang="en" className="error-page__en">
          {payload.messageEn}
        </p>
      ) : null}
      <ul className="link-list">
        <li>
          <Link to="/staff/people">担当ケース一覧へ</Link>
        </li>
      </ul>
    </div>
  );
}
