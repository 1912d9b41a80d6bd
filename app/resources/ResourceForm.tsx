// The registration form of a resource, shared by the new and edit pages. Plain HTML fields, so it
// works without JavaScript; every field shows its errors next to it (app/utils/resource-form.ts).
// Without JavaScript, 「プレビュー」 and 「住所から位置を調べる」 post the form with an intent and the
// page comes back filled in, unsaved. With JavaScript the next dates follow every change, the
// postal code fills the address on leaving the field, the address is looked up in place and a map
// pin sets the coordinates.
import { Form } from "@remix-run/react";
import { useCallback, useMemo, useRef, useState, type FormEvent, type MouseEvent } from "react";
import { CONDITIONS, COST_KINDS, RESOURCE_KINDS, RESOURCE_STATUSES, TARGET_GROUPS, WEEKDAYS } from "../../db/vocabulary";
import { CsrfField, errorProps, FieldError } from "~/accounts/ui";
import { LocationMap, type PinPoint } from "~/components/LocationMap";
import type { FieldErrors } from "~/utils/account-validation";
import {
  ACTIVITIES_MAX_CHARS,
  ADDRESS_MAX_CHARS,
  AREA_MAX_CHARS,
  BUILDING_MAX_CHARS,
  CITY_MAX_CHARS,
  COST_NOTE_MAX_CHARS,
  DESCRIPTION_MAX_CHARS,
  JAPAN_BOUNDS,
  KANA_MAX_CHARS,
  NAME_MAX_CHARS,
  NOTE_MAX_CHARS,
  NTH_WEEKS,
  OPERATOR_MAX_CHARS,
  PREFECTURES,
  resourceFormInput,
  SCHEDULE_KINDS,
  SCHEDULE_NOTE_MAX_CHARS,
  slotField,
  URL_MAX_CHARS,
} from "~/utils/resource-form";
import { addressForGeocoding, cityCentre, geocodedMessage, lookupPostalCode } from "./location";
import { previewSchedule } from "./schedule-preview";

/** What a 「住所から位置を調べる」 or 「プレビュー」 post brought back (nothing was saved). */
export interface FormAssist {
  intent: "geocode" | "preview";
  geocode?: { ok: boolean; message: string };
  postal?: string | null;
}

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

function pointOf(latitude: unknown, longitude: unknown): PinPoint | null {
  if (typeof latitude !== "string" || typeof longitude !== "string" || latitude.trim() === "" || longitude.trim() === "") return null;
  const lat = Number(latitude.normalize("NFKC"));
  const lon = Number(longitude.normalize("NFKC"));
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  if (lat < JAPAN_BOUNDS.minLat || lat > JAPAN_BOUNDS.maxLat || lon < JAPAN_BOUNDS.minLon || lon > JAPAN_BOUNDS.maxLon) return null;
  return { lat, lon };
}

function SchedulePreviewList({ preview }: { preview: ReturnType<typeof previewSchedule> }) {
  return (
    <div className="schedule-preview__body" aria-live="polite" aria-atomic="true">
      {preview.dates.length > 0 ? (
        <ol className="schedule-preview__dates">
          {preview.dates.map((o) => (
            <li key={o.date}>
              <time dateTime={o.date}>{o.label}</time>
            </li>
          ))}
        </ol>
      ) : (
        <p>{preview.used ? "この入力では次回の予定を計算できません。" : "開催日時を入れると、ここに次回の予定が表示されます。"}</p>
      )}
      {preview.problems.length > 0 ? (
        <ul className="schedule-preview__problems">
          {preview.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function ResourceForm({
  csrf,
  values,
  errors,
  submitLabel,
  assist,
  previewFrom,
  geocoder = false,
}: {
  csrf: string;
  values: Values;
  errors: FieldErrors;
  submitLabel: string;
  assist?: FormAssist;
  /** The instant the server computed the first preview from (so hydration shows the same dates). */
  previewFrom?: string;
  /** Whether 「住所から位置を調べる」 is offered (GEOCODER_URL is set). */
  geocoder?: boolean;
}) {
  const slots = Array.isArray(values.schedules) ? (values.schedules as Values[]) : [];
  const formRef = useRef<HTMLFormElement>(null);
  const initialPreview = useMemo(() => previewSchedule(values.schedules, previewFrom ? new Date(previewFrom) : new Date()), [values.schedules, previewFrom]);
  const [livePreview, setLivePreview] = useState<ReturnType<typeof previewSchedule> | null>(null);
  const [pin, setPin] = useState<PinPoint | null>(() => pointOf(values.latitude, values.longitude));
  const [guess, setGuess] = useState<PinPoint | null>(() => cityCentre(str(values, "prefecture"), str(values, "city")));
  const [postalMessage, setPostalMessage] = useState<string | null>(assist?.postal ?? null);
  const [geocodeMessage, setGeocodeMessage] = useState<{ ok: boolean; message: string } | null>(assist?.geocode ?? null);
  const [geocodeBusy, setGeocodeBusy] = useState(false);
  const preview = livePreview ?? initialPreview;

  const field = (name: string) => formRef.current?.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
  const setField = (name: string, value: string) => {
    const element = field(name);
    if (element) element.value = value;
  };

  const handleChange = useCallback((event: FormEvent<HTMLFormElement>) => {
    const target = event.target as HTMLInputElement;
    const form = event.currentTarget;
    if (target.name?.startsWith("schedule")) setLivePreview(previewSchedule(resourceFormInput(new FormData(form)).schedules, new Date()));
    if (target.name === "latitude" || target.name === "longitude") {
      const data = new FormData(form);
      const point = pointOf(data.get("latitude"), data.get("longitude"));
      if (point) setPin(point);
    }
  }, []);

  const fillFromPostal = () => {
    const code = field("postalCode")?.value ?? "";
    if (code.trim() === "") {
      setPostalMessage(null);
      return;
    }
    const place = lookupPostalCode(code);
    if (!place) {
      setPostalMessage("この郵便番号は同梱の表にないため、住所は自動で入りません（対応は同梱データの市町村のみ）。");
      return;
    }
    const filled: string[] = [];
    if (!field("prefecture")?.value) {
      setField("prefecture", place.prefecture);
      filled.push(place.prefecture);
    }
    if (!field("city")?.value.trim() && field("prefecture")?.value === place.prefecture) {
      setField("city", place.city);
      filled.push(place.city);
    }
    if (place.town && !field("addressLine")?.value.trim() && field("city")?.value === place.city) {
      setField("addressLine", place.town);
      filled.push(place.town);
    }
    setPostalMessage(filled.length > 0 ? `郵便番号から「${filled.join("")}」を入れました。番地を続けて入力してください。` : null);
    if (!pin) setGuess(cityCentre(field("prefecture")?.value ?? "", field("city")?.value ?? ""));
  };

  const pickOnMap = (point: PinPoint) => {
    setField("latitude", String(point.lat));
    setField("longitude", String(point.lon));
    setPin(point);
  };

  const lookUpAddress = async (event: MouseEvent<HTMLButtonElement>) => {
    const form = formRef.current;
    if (!form) return;
    // With scripts the address is looked up in place; the button's own post is the no-JS path.
    event.preventDefault();
    const address = addressForGeocoding(Object.fromEntries(new FormData(form)));
    setGeocodeBusy(true);
    try {
      const response = await fetch(`/manage/geocode?${new URLSearchParams({ address })}`, { headers: { Accept: "application/json" } });
      const answer = (await response.json()) as { ok?: boolean; lat?: number; lon?: number; title?: string; message?: string };
      if (response.ok && answer.ok && typeof answer.lat === "number" && typeof answer.lon === "number") {
        pickOnMap({ lat: answer.lat, lon: answer.lon });
        setGeocodeMessage({ ok: true, message: geocodedMessage(answer.title ?? address) });
      } else {
        setGeocodeMessage({ ok: false, message: answer.message ?? "位置を調べられませんでした。地図でピンを置いてください。" });
      }
    } catch {
      setGeocodeMessage({ ok: false, message: "位置を調べられませんでした。地図でピンを置いてください。" });
    } finally {
      setGeocodeBusy(false);
    }
  };

  return (
    <Form
      method="post"
      className="account-form"
      noValidate
      ref={formRef}
      onChange={handleChange}
      onBlur={(event) => {
        if ((event.target as EventTarget as HTMLInputElement).name === "postalCode") fillFromPostal();
      }}
    >
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
        <section className="schedule-preview" aria-labelledby="schedule-preview-heading">
          <h2 id="schedule-preview-heading">次回の予定</h2>
          <SchedulePreviewList preview={preview} />
          <p className="field__hint">下の開催日時から計算した日付です（休みの日・休止期間を除きます）。</p>
        </section>
        {slots.map((slot, i) => (
          <ScheduleSlotFields key={i} index={i} slot={slot} errors={errors} />
        ))}
        <TextField name="hoursNote" label="不定期・その他の日時（自由記述）" values={values} errors={errors} max={NOTE_MAX_CHARS} multiline hint="例: 月1回程度。日程はお問い合わせください" />
        <div>
          <button type="submit" name="intent" value="preview" formNoValidate>
            プレビュー<span className="visually-hidden">（次回の予定を表示）</span>
          </button>
        </div>
      </fieldset>

      <fieldset className="field-group">
        <legend>場所</legend>
        <TextField name="postalCode" label="郵便番号" values={values} errors={errors} inputMode="numeric" hint="例: 426-0034（同梱データの市町村なら、都道府県・市区町村が自動で入ります）" />
        {postalMessage ? (
          <p className="field__hint" role="status">
            {postalMessage}
          </p>
        ) : null}
        <Select name="prefecture" label="都道府県" values={values} errors={errors} options={PREFECTURES.map((p) => ({ code: p, label: p }))} blank="選んでください" />
        <TextField name="city" label="市区町村" values={values} errors={errors} max={CITY_MAX_CHARS} />
        <TextField name="addressLine" label="町名・番地" values={values} errors={errors} max={ADDRESS_MAX_CHARS} />
        <TextField name="building" label="建物名" values={values} errors={errors} max={BUILDING_MAX_CHARS} />
        {geocoder ? (
          <div className="geocode">
            <button type="submit" name="intent" value="geocode" formNoValidate onClick={lookUpAddress} disabled={geocodeBusy} aria-describedby="geocode-status">
              住所から位置を調べる
            </button>
            <p id="geocode-status" className={geocodeMessage && !geocodeMessage.ok ? "field-error" : "field__hint"} role="status">
              {geocodeBusy ? "調べています…" : (geocodeMessage?.message ?? "")}
            </p>
          </div>
        ) : null}
        <TextField name="latitude" label="緯度" values={values} errors={errors} inputMode="decimal" hint="例: 34.8670（地図のピンの位置）" />
        <TextField name="longitude" label="経度" values={values} errors={errors} inputMode="decimal" hint="例: 138.3230" />
        <p className="field__hint location-map__hint" id="location-map-hint">
          地図をクリックするか、ピンをドラッグすると緯度・経度が入ります。
        </p>
        <LocationMap pin={pin} guess={guess} onPick={pickOnMap} describedBy="location-map-hint" />
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

/** The page-top line after a helper post (the details are next to the fields). */
export function assistNotice(assist: FormAssist): string {
  if (assist.intent === "preview") return "まだ保存していません。「開催日時」の欄に次回の予定を表示しました。";
  return assist.geocode?.ok ? "まだ保存していません。住所から調べた位置を「場所」の緯度・経度に入れました。" : "まだ保存していません。住所から位置を調べられませんでした（「場所」の欄に理由があります）。";
}
