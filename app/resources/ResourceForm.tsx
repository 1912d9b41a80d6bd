// The registration form of a resource, shared by the new and edit pages. Plain HTML fields, so it
// works without JavaScript; every field shows its errors next to it (app/utils/resource-form.ts).
import { Form } from "@remix-run/react";
import { CONDITIONS, COST_KINDS, RESOURCE_KINDS, RESOURCE_STATUSES, TARGET_GROUPS, WEEKDAYS } from "../../db/vocabulary";
import { CsrfField, errorProps, FieldError } from "~/accounts/ui";
import type { FieldErrors } from "~/utils/account-validation";
import {
  ACTIVITIES_MAX_CHARS,
  ADDRESS_MAX_CHARS,
  AREA_MAX_CHARS,
  BUILDING_MAX_CHARS,
  CITY_MAX_CHARS,
  COST_NOTE_MAX_CHARS,
  DESCRIPTION_MAX_CHARS,
  KANA_MAX_CHARS,
  NAME_MAX_CHARS,
  NOTE_MAX_CHARS,
  NTH_WEEKS,
  OPERATOR_MAX_CHARS,
  PREFECTURES,
  SCHEDULE_KINDS,
  SCHEDULE_NOTE_MAX_CHARS,
  slotField,
  URL_MAX_CHARS,
} from "~/utils/resource-form";

type Values = Record<string, unknown>;

const str = (values: Values, name: string) => (typeof values[name] === "string" ? (values[name] as string) : "");
const list = (values: Values, name: string) => (Array.isArray(values[name]) ? (values[name] as string[]) : []);

function TextField(props: { name: string; label: string; values: Values; errors: FieldErrors; max?: number; hint?: string; type?: string; required?: boolean; multiline?: boolean; inputMode?: "numeric" | "tel" | "decimal" | "email" | "url" }) {
  const { name, label, values, errors, max, hint, type = "text", required, multiline, inputMode } = props;
  const id = `f-${name.replace(/\./g, "-")}`;
  const describedBy = [hint ? `${id}-hint` : null, errors[name]?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  const common = { id, name, defaultValue: str(values, name), maxLength: max, required, "aria-invalid": errors[name]?.length ? true : undefined, "aria-describedby": describedBy };
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? "（必須）" : null}
      </label>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {multiline ? <textarea rows={4} {...common} /> : <input type={type} inputMode={inputMode} {...common} />}
      <FieldError id={`${id}-error`} errors={errors[name]} />
    </div>
  );
}

function Select(props: { name: string; label: string; values: Values; errors: FieldErrors; options: readonly { code: string; label: string }[]; blank?: string }) {
  const { name, label, values, errors, options, blank } = props;
  const id = `f-${name.replace(/\./g, "-")}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={str(values, name)} {...errorProps(id, errors[name])}>
        {blank !== undefined ? <option value="">{blank}</option> : null}
        {options.map((o) => (
          <option key={o.code} value={o.code}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-error`} errors={errors[name]} />
    </div>
  );
}

function Checkboxes(props: { name: string; legend: string; checked: string[]; errors: FieldErrors; options: readonly { code: string; label: string }[]; idPrefix?: string }) {
  const { name, legend, checked, errors, options } = props;
  const id = `f-${(props.idPrefix ?? name).replace(/\./g, "-")}`;
  return (
    <fieldset className="field" {...errorProps(id, errors[name])}>
      <legend>{legend}</legend>
      <div className="checkbox-row">
        {options.map((o) => (
          <label key={o.code}>
            <input type="checkbox" name={name} value={o.code} defaultChecked={checked.includes(o.code)} /> {o.label}
          </label>
        ))}
      </div>
      <FieldError id={`${id}-error`} errors={errors[name]} />
    </fieldset>
  );
}

const WEEKDAY_OPTIONS = WEEKDAYS.map((w) => ({ code: w.code, label: w.long }));
const NTH_OPTIONS = NTH_WEEKS.map((n) => ({ code: n, label: `第${n}` }));

function ScheduleSlotFields({ index, slot, errors }: { index: number; slot: Values; errors: FieldErrors }) {
  const f = (field: string) => slotField(index, field);
  // The slot's own values are read by their full form names.
  const values: Values = Object.fromEntries(Object.entries(slot).map(([k, v]) => [f(k), v]));
  return (
    <fieldset className="schedule-slot">
      <legend>開催日時 {index + 1}</legend>
      <Select name={f("kind")} label="くり返し" values={values} errors={errors} options={SCHEDULE_KINDS} />
      <Select name={f("weekday")} label="曜日（毎週・隔週・第n）" values={values} errors={errors} options={WEEKDAY_OPTIONS} blank="選んでください" />
      <Checkboxes name={f("nths")} legend="第何週（毎月 第n 曜日のとき、複数選べます）" checked={list(values, f("nths"))} errors={errors} options={NTH_OPTIONS} />
      <TextField name={f("monthDay")} label="日にち（毎月 n日のとき）" values={values} errors={errors} inputMode="numeric" hint="1〜31" />
      <TextField name={f("startTime")} label="開始時刻" values={values} errors={errors} type="time" />
      <TextField name={f("endTime")} label="終了時刻" values={values} errors={errors} type="time" />
      <TextField name={f("startsOn")} label="いつから（隔週の基準日）" values={values} errors={errors} type="date" hint="空欄なら今日から" />
      <TextField name={f("exceptionDates")} label="休みの日" values={values} errors={errors} multiline hint="2026-12-29 のように、1行に1日ずつ" />
      <TextField name={f("pausedFrom")} label="休止期間（開始）" values={values} errors={errors} type="date" />
      <TextField name={f("pausedUntil")} label="休止期間（終了）" values={values} errors={errors} type="date" />
      <TextField name={f("note")} label="補足" values={values} errors={errors} max={SCHEDULE_NOTE_MAX_CHARS} />
    </fieldset>
  );
}

export function ResourceForm({ csrf, values, errors, submitLabel }: { csrf: string; values: Values; errors: FieldErrors; submitLabel: string }) {
  const slots = Array.isArray(values.schedules) ? (values.schedules as Values[]) : [];
  return (
    <Form method="post" className="account-form" noValidate>
      <CsrfField token={csrf} />
      <fieldset className="field-group">
        <legend>基本情報</legend>
        <TextField name="name" label="名称" values={values} errors={errors} max={NAME_MAX_CHARS} required />
        <TextField name="nameKana" label="ふりがな" values={values} errors={errors} max={KANA_MAX_CHARS} />
        <Select name="kind" label="種類" values={values} errors={errors} options={RESOURCE_KINDS} />
        <TextField name="description" label="説明" values={values} errors={errors} max={DESCRIPTION_MAX_CHARS} multiline hint={`${DESCRIPTION_MAX_CHARS}文字まで`} />
        <TextField name="activities" label="活動内容" values={values} errors={errors} max={ACTIVITIES_MAX_CHARS} multiline hint="「体操、お茶会」のように読点か改行で区切ります" />
        <Checkboxes name="targetGroups" legend="対象" checked={list(values, "targetGroups")} errors={errors} options={TARGET_GROUPS} />
        <Checkboxes name="conditions" legend="参加条件・バリアフリー・送迎・駐車場" checked={list(values, "conditions")} errors={errors} options={CONDITIONS} />
        <Select name="status" label="活動状況" values={values} errors={errors} options={RESOURCE_STATUSES} />
      </fieldset>

      <fieldset className="field-group">
        <legend>費用と定員</legend>
        <Select name="costKind" label="費用" values={values} errors={errors} options={COST_KINDS} />
        <TextField name="costYen" label="金額（円・有料のとき）" values={values} errors={errors} inputMode="numeric" />
        <TextField name="costNote" label="費用の補足" values={values} errors={errors} max={COST_NOTE_MAX_CHARS} />
        <TextField name="capacity" label="定員（人）" values={values} errors={errors} inputMode="numeric" />
      </fieldset>

      <fieldset className="field-group">
        <legend>開催日時</legend>
        {slots.map((slot, i) => (
          <ScheduleSlotFields key={i} index={i} slot={slot} errors={errors} />
        ))}
        <TextField name="hoursNote" label="不定期・その他の日時（自由記述）" values={values} errors={errors} max={NOTE_MAX_CHARS} multiline hint="例: 月1回程度。日程はお問い合わせください" />
      </fieldset>

      <fieldset className="field-group">
        <legend>場所</legend>
        <TextField name="postalCode" label="郵便番号" values={values} errors={errors} inputMode="numeric" hint="例: 426-0034" />
        <Select name="prefecture" label="都道府県" values={values} errors={errors} options={PREFECTURES.map((p) => ({ code: p, label: p }))} blank="選んでください" />
        <TextField name="city" label="市区町村" values={values} errors={errors} max={CITY_MAX_CHARS} />
        <TextField name="addressLine" label="町名・番地" values={values} errors={errors} max={ADDRESS_MAX_CHARS} />
        <TextField name="building" label="建物名" values={values} errors={errors} max={BUILDING_MAX_CHARS} />
        <TextField name="latitude" label="緯度" values={values} errors={errors} inputMode="decimal" hint="例: 34.8670（地図のピンの位置）" />
        <TextField name="longitude" label="経度" values={values} errors={errors} inputMode="decimal" hint="例: 138.3230" />
        <TextField name="area" label="圏域・地区" values={values} errors={errors} max={AREA_MAX_CHARS} />
        <TextField name="accessNote" label="アクセス" values={values} errors={errors} max={NOTE_MAX_CHARS} multiline />
      </fieldset>

      <fieldset className="field-group">
        <legend>運営と連絡先</legend>
        <TextField name="operator" label="運営者" values={values} errors={errors} max={OPERATOR_MAX_CHARS} />
        <TextField name="phone" label="電話番号" values={values} errors={errors} type="tel" inputMode="tel" hint="例: 054-626-1111" />
        <TextField name="email" label="メールアドレス" values={values} errors={errors} type="email" />
        <TextField name="url" label="ウェブサイト" values={values} errors={errors} type="url" max={URL_MAX_CHARS} />
      </fieldset>

      <div className="form-actions">
        <button type="submit" name="intent" value="save">
          {submitLabel}
        </button>{" "}
        <button type="submit" name="intent" value="save-submit" className="button--primary">
          保存して審査を申請する
        </button>
      </div>
    </Form>
  );
}
