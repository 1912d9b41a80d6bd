// `/admin/import`: an administrator imports a CSV without a developer. 1 upload (and the source
// credit) → 2 map the columns when the layout is not a standard one and no saved mapping fits →
// 3 preview (a dry run) → 4 commit in one transaction, through the same code as scripts/import.ts.
// The file waits on the server between steps; the page only carries its random token.
import {
  data,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { RESOURCE_KINDS } from "../../db/vocabulary";
import { AccountErrorBoundary, CsrfField, errorProps, FieldError, noStoreHeaders, Notice } from "~/accounts/ui";
import { MAPPING_FIELDS, columnInputName, type MappingField } from "~/import/mapping-fields";
import {
  commitUpload,
  deleteImportMapping,
  deleteUpload,
  getImportMapping,
  hasSource,
  listImportMappings,
  listSourcesForImport,
  loadUpload,
  MAPPING_NAME_MAX,
  mappingFormValues,
  mappingFromForm,
  mappingWithSource,
  matchingMappings,
  MAX_UPLOAD_BYTES,
  previewUpload,
  readUploadTable,
  routeUpload,
  sampleRows,
  saveImportMapping,
  saveUpload,
  sourceFromForm,
  checkUploadedFile,
  updateUpload,
  UploadProblem,
  type MappingFormValues,
  type PreviewSummary,
  type Upload,
} from "~/models/import-upload.server";
import { resourceLinks } from "~/resources/ui";
import { readForm, requireUser } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { requestInfo } from "~/utils/request.server";
import { pageTitle } from "~/utils/site";

export const links = resourceLinks;
export const headers = noStoreHeaders;

const dateTime = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", dateStyle: "medium", timeStyle: "short" });

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, { permission: "review:resource", context });
  const { db } = await getDatabase();
  const [saved, sourceList] = await Promise.all([listImportMappings(db), listSourcesForImport(db)]);
  return {
    csrf: (await getCsrfToken(request)).token,
    sources: sourceList.map((s) => ({ id: s.id, label: `${s.dataset}（${s.publisher}）` })),
    savedMappings: saved.map((m) => ({
      id: m.id,
      name: m.name,
      columns: MAPPING_FIELDS.filter(({ field }) => m.mapping[field]).map(({ field, label }) => `${label}=${m.mapping[field]}`),
      kind: typeof m.mapping.kind === "string" ? `種類=${m.mapping.kind}` : `種類=${m.mapping.kind.value}（固定）`,
      source: m.mapping.source?.dataset ?? m.mapping.source?.publisher ?? null,
      updatedAt: dateTime.format(m.updatedAt),
    })),
  };
}

type Errors = Record<string, string[]>;

interface MappingView {
  token: string;
  fileName: string;
  encoding: string;
  header: string[];
  samples: string[][];
  values: MappingFormValues;
  saveAs: string;
  nameTaken: boolean;
  offered: { id: number; name: string }[];
}

type ActionData =
  | { step: "upload"; message: string | null; tone: "info" | "error"; errors: Errors }
  | { step: "mapping"; message: string | null; tone: "info" | "error"; errors: Errors; mapping: MappingView }
  | { step: "preview"; message: string | null; tone: "info" | "error"; errors: Errors; token: string; preview: PreviewSummary }
  | {
      step: "done";
      message: string;
      tone: "info";
      errors: Errors;
      summary: { create: number; update: number; unchanged: number; rejected: number; vanished: number; dataset: string; validOnly: boolean };
    };

const ENCODING_LABELS: Record<string, string> = { "utf-8": "UTF-8", "utf-8-bom": "UTF-8（BOM 付き）", cp932: "Shift_JIS（CP932）" };

/** The posted form: multipart for the upload (size-limited, kept in memory), else a plain form. */
const isMultipart = (request: Request) => (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");

async function readImportForm(request: Request): Promise<FormData> {
  if (!isMultipart(request)) return readForm(request);
  const tooLarge = () => data({ message: "ファイルが大きすぎます（20 MB まで）。", messageEn: "The file is too large (20 MB at most)." }, { status: 413 });
  if (Number(request.headers.get("Content-Length") ?? "0") > MAX_UPLOAD_BYTES + 1024 * 1024) throw tooLarge();
  try {
    return await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) throw tooLarge();
    throw data({ message: "送信された内容を読み取れませんでした。もう一度お試しください。", messageEn: "Malformed upload." }, { status: 400 });
  }
}

function textFields(form: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of form.entries()) if (typeof value === "string" && !(name in fields)) fields[name] = value;
  return fields;
}

function mappingView(upload: Upload, values: MappingFormValues | null, extra: Partial<MappingView> = {}): MappingView {
  const table = readUploadTable(upload.bytes);
  return {
    token: upload.token,
    fileName: upload.meta.fileName,
    encoding: ENCODING_LABELS[table.encoding] ?? table.encoding,
    header: table.header,
    samples: sampleRows(table),
    values: values ?? mappingFormValues(table.header, upload.meta.mapping),
    saveAs: "",
    nameTaken: false,
    offered: [],
    ...extra,
  };
}

const fail = (step: "upload", problem: UploadProblem) =>
  data<ActionData>({ step, message: problem.message, tone: "error", errors: problem.fieldErrors }, { status: problem.status });

export async function action({ request, context }: ActionFunctionArgs) {
  // Only an administrator may make the server read an upload of up to 20 MB: checked before the
  // body is parsed. A plain form is checked for CSRF first, as everywhere.
  if (isMultipart(request)) await requireUser(request, { permission: "review:resource", context });
  const form = await readImportForm(request);
  await assertCsrf(request, form);
  const auth = await requireUser(request, { permission: "review:resource", context });
  const fields = textFields(form);
  const { db } = await getDatabase();
  const userId = auth.user.id;

  const preview = async (upload: Upload, message: string | null = null, status = 200) =>
    data<ActionData>({ step: "preview", message, tone: status === 200 ? "info" : "error", errors: {}, token: upload.token, preview: await previewUpload(db, upload) }, { status });

  // A problem after the upload: shown on the step it belongs to; an expired file starts again.
  const atStep = async (problem: unknown, upload: Upload | null, values: MappingFormValues | null = null) => {
    if (!(problem instanceof UploadProblem)) throw problem;
    if (!upload || problem.status === 410) return fail("upload", problem);
    return data<ActionData>(
      { step: "mapping", message: problem.message, tone: "error", errors: problem.fieldErrors, mapping: mappingView(upload, values) },
      { status: problem.status },
    );
  };

  switch (fields.intent) {
    case "upload": {
      let upload: Upload | null = null;
      try {
        const file = checkUploadedFile(form.get("file"));
        const bytes = new Uint8Array(await file.arrayBuffer());
        const table = readUploadTable(bytes);
        const source = await sourceFromForm(db, fields, file.name);
        upload = await saveUpload({ bytes, fileName: file.name, userId, source });
        const next = await routeUpload(db, upload, table);
        if (next.next === "preview") {
          const note = next.upload.meta.mappingName ? `保存済みの対応表「${next.upload.meta.mappingName}」が見出しに合うので、それを使いました。` : null;
          return await preview(next.upload, note);
        }
        return data<ActionData>({
          step: "mapping",
          message: "標準の形式ではありません。ファイルの列と地域資源の項目の対応を選んでください。",
          tone: "info",
          errors: {},
          mapping: mappingView(next.upload, null, { offered: next.offered.map((m) => ({ id: m.id, name: m.name })) }),
        });
      } catch (error) {
        if (upload) await deleteUpload(upload.token);
        if (error instanceof UploadProblem) return fail("upload", error);
        throw error;
      }
    }
    case "map": {
      let upload: Upload | null = null;
      const table = { header: [] as string[] };
      let values: MappingFormValues | null = null;
      try {
        upload = await loadUpload(fields.token, userId);
        table.header = readUploadTable(upload.bytes).header;
        values = formValues(fields);
        const mapping = mappingFromForm(fields, table.header);
        const saveAs = (fields.saveAs ?? "").trim();
        let saved: string | null = null;
        if (saveAs) {
          if (saveAs.length > MAPPING_NAME_MAX) throw new UploadProblem("対応表の名前を確認してください。", 400, { saveAs: [`${MAPPING_NAME_MAX}文字以内で入力してください`] });
          const result = await saveImportMapping(db, {
            name: saveAs,
            mapping: mappingWithSource(mapping, upload.meta.source),
            headers: table.header,
            userId,
            overwrite: fields.overwrite === "on",
          });
          if (result.kind === "name-taken") {
            return data<ActionData>(
              {
                step: "mapping",
                message: `「${saveAs}」という名前の対応表はすでにあります。上書きするか、別の名前にしてください。`,
                tone: "error",
                errors: { saveAs: ["この名前はすでに使われています。上書きする場合は「上書きする」にチェックしてください"] },
                mapping: mappingView(upload, values, { saveAs, nameTaken: true }),
              },
              { status: 409 },
            );
          }
          saved = saveAs;
        }
        upload = await updateUpload(upload, { mapping, mappingName: saved });
        return await preview(upload, saved ? `対応表「${saved}」を保存しました。次に同じ見出しのファイルを取り込むときは自動で使います。` : null);
      } catch (error) {
        return atStep(error, upload, values);
      }
    }
    case "use-mapping": {
      let upload: Upload | null = null;
      try {
        upload = await loadUpload(fields.token, userId);
        const saved = await getImportMapping(db, Number(fields.mappingId));
        if (!saved) throw new UploadProblem("選んだ対応表が見つかりません（削除された可能性があります）。", 404);
        const header = readUploadTable(upload.bytes).header;
        if (!(await matchingMappings(db, header)).some((m) => m.id === saved.id)) {
          throw new UploadProblem(`対応表「${saved.name}」の列がこのファイルの見出しにそろっていません。`, 400);
        }
        if (!hasSource(upload.meta.source) && !hasSource(saved.mapping.source)) throw new UploadProblem("出典を指定してください。", 400);
        upload = await updateUpload(upload, { mapping: saved.mapping, mappingName: saved.name });
        return await preview(upload, `保存済みの対応表「${saved.name}」を使いました。`);
      } catch (error) {
        return atStep(error, upload);
      }
    }
    case "remap": {
      let upload: Upload | null = null;
      try {
        upload = await loadUpload(fields.token, userId);
        const offered = await matchingMappings(db, readUploadTable(upload.bytes).header);
        return data<ActionData>({ step: "mapping", message: null, tone: "info", errors: {}, mapping: mappingView(upload, null, { offered: offered.map((m) => ({ id: m.id, name: m.name })) }) });
      } catch (error) {
        return atStep(error, upload);
      }
    }
    case "commit-all":
    case "commit-valid": {
      let upload: Upload | null = null;
      try {
        upload = await loadUpload(fields.token, userId);
        const info = requestInfo(request, context);
        const result = await commitUpload(db, upload, {
          mode: fields.intent === "commit-valid" ? "valid-only" : "all-or-nothing",
          actor: { id: userId, role: auth.user.role },
          requestId: info.requestId,
          ipHash: info.ipHash,
        });
        if (result.blocked) {
          return await preview(
            upload,
            `不正な行が ${result.rejected.length} 件あるため、何も保存していません。ファイルを直して取り込み直すか、「正しい行だけ取り込む」を選んでください。`,
            400,
          );
        }
        return data<ActionData>({
          step: "done",
          message: "取り込みました。",
          tone: "info",
          errors: {},
          summary: {
            create: result.create,
            update: result.update,
            unchanged: result.unchanged,
            rejected: result.rejected.length,
            vanished: result.vanished,
            dataset: result.dataset,
            validOnly: result.mode === "valid-only",
          },
        });
      } catch (error) {
        return atStep(error, upload);
      }
    }
    case "cancel": {
      if (typeof fields.token === "string") await deleteUpload(fields.token);
      return data<ActionData>({ step: "upload", message: "取り込みを取りやめました。アップロードしたファイルは削除しました。", tone: "info", errors: {} });
    }
    case "delete-mapping": {
      const id = Number(fields.mappingId);
      const deleted = Number.isInteger(id) && id > 0 ? await deleteImportMapping(db, id) : false;
      if (!deleted) return data<ActionData>({ step: "upload", message: "対応表が見つかりません（すでに削除された可能性があります）。", tone: "error", errors: {} }, { status: 404 });
      return data<ActionData>({ step: "upload", message: "対応表を削除しました。", tone: "info", errors: {} });
    }
    default:
      return data<ActionData>({ step: "upload", message: "操作を選んでください（ファイルを選んで「アップロード」を押してください）。", tone: "error", errors: {} }, { status: 400 });
  }
}

function formValues(fields: Record<string, string>): MappingFormValues {
  const columns: Partial<Record<MappingField, string>> = {};
  for (const { field } of MAPPING_FIELDS) {
    const value = (fields[columnInputName(field)] ?? "").trim();
    if (value) columns[field] = value;
  }
  return { columns, kindColumn: (fields.kindColumn ?? "").trim(), kindValue: (fields.kindValue ?? "").trim() };
}

// ---------------------------------------------------------------------------------------------

const STEPS = ["ファイルを選ぶ", "列の対応", "確認（試行）", "取り込み"] as const;

function StepList({ current }: { current: number }) {
  return (
    <nav aria-label="取り込みの手順">
      <p className="field__hint">
        {STEPS.map((label, index) => (
          <span key={label} aria-current={index === current ? "step" : undefined}>
            {index > 0 ? " → " : ""}
            {index === current ? <strong>{`${index + 1}. ${label}`}</strong> : `${index + 1}. ${label}`}
          </span>
        ))}
      </p>
    </nav>
  );
}

function UploadStep({ csrf, sources, errors }: { csrf: string; sources: { id: number; label: string }[]; errors: Errors }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <section aria-labelledby="upload-heading">
      <h2 id="upload-heading">1. CSV ファイルを選ぶ</h2>
      <p>
        公共施設一覧・介護サービス事業所一覧・子育て施設一覧（推奨／正式版）は見出しから自動で判定します。ほかの形式は次の画面で列の対応を選びます。文字コードは
        UTF-8（BOM の有無を問わず）と Shift_JIS（CP932）に対応しています。20 MB まで。
      </p>
      <Form method="post" encType="multipart/form-data" className="account-form">
        <CsrfField token={csrf} />
        <div className="field">
          <label htmlFor="file">CSV ファイル</label>
          <input id="file" name="file" type="file" accept=".csv,text/csv" required {...errorProps("file", errors.file)} />
          <FieldError id="file-error" errors={errors.file} />
        </div>
        <fieldset className="field-group">
          <legend>出典（場所のページに表示します）</legend>
          <div className="field">
            <label htmlFor="sourceId">登録済みの出典</label>
            <select id="sourceId" name="sourceId" defaultValue="" {...errorProps("sourceId", errors.sourceId)}>
              <option value="">（新しい出典を下に入力する）</option>
              {sources.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
            <FieldError id="sourceId-error" errors={errors.sourceId} />
            <p className="field__hint">同じ一覧の新しい版を取り込むときは、前回と同じ出典を選ぶと同じ場所を更新します（重複しません）。</p>
          </div>
          <SourceInput name="publisher" label="公開者（自治体・団体名）" errors={errors} />
          <SourceInput name="dataset" label="データセット名（空欄ならファイル名）" errors={errors} />
          <SourceInput name="licence" label="ライセンス（例: CC BY 4.0）" errors={errors} />
          <SourceInput name="licenceUrl" label="ライセンスの URL" type="url" errors={errors} />
          <SourceInput name="attribution" label="出典の表記（空欄なら自動で作ります）" errors={errors} />
          <SourceInput name="sourceUrl" label="入手先の URL" type="url" errors={errors} />
        </fieldset>
        <div>
          <button type="submit" name="intent" value="upload" className="button--primary" disabled={busy}>
            アップロードして確認する
          </button>
        </div>
      </Form>
    </section>
  );
}

function SourceInput({ name, label, type = "text", errors }: { name: string; label: string; type?: string; errors: Errors }) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input id={name} name={name} type={type} maxLength={500} {...errorProps(name, errors[name])} />
      <FieldError id={`${name}-error`} errors={errors[name]} />
    </div>
  );
}

function ColumnSelect({
  id,
  name,
  header,
  defaultValue,
  errors,
  onChange,
}: {
  id: string;
  name: string;
  header: string[];
  defaultValue: string;
  errors?: string[];
  onChange?: (value: string) => void;
}) {
  return (
    <select id={id} name={name} defaultValue={defaultValue} onChange={(event) => onChange?.(event.target.value)} {...errorProps(id, errors)}>
      <option value="">（使わない）</option>
      {header.map((column) => (
        <option key={column} value={column}>
          {column}
        </option>
      ))}
    </select>
  );
}

function MappingStep({ csrf, view, errors }: { csrf: string; view: MappingView; errors: Errors }) {
  const [selected, setSelected] = useState<Record<string, string>>(() => ({ ...view.values.columns, kind: view.values.kindColumn }));
  const sampleOf = (column: string | undefined) => {
    const index = column ? view.header.indexOf(column) : -1;
    return index < 0 ? "" : view.samples.map((row) => row[index]).filter(Boolean).join(" ／ ");
  };
  return (
    <section aria-labelledby="mapping-heading">
      <h2 id="mapping-heading">2. 列の対応を選ぶ</h2>
      <p>
        「{view.fileName}」（{view.encoding}、{view.header.length} 列）。各項目に、その値が入っているファイルの列を選んでください。右は先頭の行の値です。
      </p>
      {view.offered.length > 0 ? (
        <div className="notice notice--info">
          <p>この見出しに合う保存済みの対応表があります。</p>
          {view.offered.map((m) => (
            <Form method="post" key={m.id} className="account-form--inline">
              <CsrfField token={csrf} />
              <input type="hidden" name="token" value={view.token} />
              <input type="hidden" name="mappingId" value={m.id} />
              <button type="submit" name="intent" value="use-mapping">
                「{m.name}」を使う
              </button>
            </Form>
          ))}
        </div>
      ) : null}
      <Form method="post" className="account-form">
        <CsrfField token={csrf} />
        <input type="hidden" name="token" value={view.token} />
        <div className="data-table-wrap">
          <table className="data-table">
            <caption>地域資源の項目とファイルの列</caption>
            <thead>
              <tr>
                <th scope="col">項目</th>
                <th scope="col">ファイルの列</th>
                <th scope="col">先頭の行の値</th>
              </tr>
            </thead>
            <tbody>
              {MAPPING_FIELDS.map(({ field, label, hint }) => {
                const id = `map-${field}`;
                const name = columnInputName(field);
                return (
                  <tr key={field}>
                    <th scope="row">
                      <label htmlFor={id}>{label}</label>
                      {hint ? <p className="field__hint">{hint}</p> : null}
                    </th>
                    <td className="field">
                      <ColumnSelect
                        id={id}
                        name={name}
                        header={view.header}
                        defaultValue={view.values.columns[field] ?? ""}
                        errors={errors[name]}
                        onChange={(value) => setSelected((s) => ({ ...s, [field]: value }))}
                      />
                      <FieldError id={`${id}-error`} errors={errors[name]} />
                    </td>
                    <td className="pre-line">{sampleOf(selected[field])}</td>
                  </tr>
                );
              })}
              <tr>
                <th scope="row">
                  <label htmlFor="map-kindColumn">種類（列）</label>
                  <p className="field__hint">「サロン」「子ども食堂」などの値、または名称から判定</p>
                </th>
                <td className="field">
                  <ColumnSelect
                    id="map-kindColumn"
                    name="kindColumn"
                    header={view.header}
                    defaultValue={view.values.kindColumn}
                    errors={errors.kindColumn}
                    onChange={(value) => setSelected((s) => ({ ...s, kind: value }))}
                  />
                  <FieldError id="map-kindColumn-error" errors={errors.kindColumn} />
                </td>
                <td className="pre-line">{sampleOf(selected.kind)}</td>
              </tr>
              <tr>
                <th scope="row">
                  <label htmlFor="map-kindValue">種類（すべての行で同じ）</label>
                  <p className="field__hint">種類の列がないときに選びます</p>
                </th>
                <td className="field">
                  <select id="map-kindValue" name="kindValue" defaultValue={view.values.kindValue} {...errorProps("map-kindValue", errors.kindValue)}>
                    <option value="">（列から判定する）</option>
                    {RESOURCE_KINDS.map((kind) => (
                      <option key={kind.code} value={kind.code}>
                        {kind.label}
                      </option>
                    ))}
                  </select>
                  <FieldError id="map-kindValue-error" errors={errors.kindValue} />
                </td>
                <td />
              </tr>
            </tbody>
          </table>
        </div>

        <details open={view.samples.length > 0}>
          <summary>ファイルの先頭 {view.samples.length} 行</summary>
          <div className="data-table-wrap">
            <table className="data-table">
              <thead>
                <tr>
                  {view.header.map((column) => (
                    <th scope="col" key={column}>
                      {column}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {view.samples.map((row, index) => (
                  <tr key={index}>
                    {row.map((cell, cellIndex) => (
                      <td key={cellIndex}>{cell}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>

        <div className="field">
          <label htmlFor="saveAs">この対応表を保存する名前（任意）</label>
          <input id="saveAs" name="saveAs" type="text" maxLength={MAPPING_NAME_MAX} defaultValue={view.saveAs} {...errorProps("saveAs", errors.saveAs)} />
          <FieldError id="saveAs-error" errors={errors.saveAs} />
          <p className="field__hint">保存すると、次に同じ見出しのファイルをアップロードしたときに自動で使います。</p>
        </div>
        {view.nameTaken ? (
          <div className="field">
            <label>
              <input type="checkbox" name="overwrite" /> 同じ名前の対応表を上書きする
            </label>
          </div>
        ) : null}
        <div className="account-form--inline">
          <button type="submit" name="intent" value="map" className="button--primary">
            この対応で試す（地域資源はまだ保存しません）
          </button>
          <button type="submit" name="intent" value="cancel" formNoValidate>
            取りやめる
          </button>
        </div>
      </Form>
    </section>
  );
}

function PreviewStep({ csrf, token, preview }: { csrf: string; token: string; preview: PreviewSummary }) {
  const nothingToStore = preview.create + preview.update + preview.unchanged === 0;
  return (
    <section aria-labelledby="preview-heading">
      <h2 id="preview-heading">3. 確認（試行の結果・まだ何も保存していません）</h2>
      <p>
        「{preview.fileName}」：{preview.label}、{ENCODING_LABELS[preview.encoding] ?? preview.encoding}、出典「{preview.source.dataset}」（{preview.source.publisher}、
        {preview.source.licence}）
      </p>
      <div className="data-table-wrap">
        <table className="data-table">
          <caption>試行の結果（件数）</caption>
          <thead>
            <tr>
              <th scope="col">読み込んだ行</th>
              <th scope="col">新しく登録</th>
              <th scope="col">更新</th>
              <th scope="col">変更なし</th>
              <th scope="col">不正（取り込めない行）</th>
              <th scope="col">対象外（保育所・学校など）</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td data-count="rows">{preview.rowsRead}</td>
              <td data-count="create">{preview.create}</td>
              <td data-count="update">{preview.update}</td>
              <td data-count="unchanged">{preview.unchanged}</td>
              <td data-count="rejected">{preview.rejected.length}</td>
              <td data-count="excluded">{preview.excluded}</td>
            </tr>
          </tbody>
        </table>
      </div>

      {preview.rejected.length > 0 ? (
        <div className="data-table-wrap">
          <table className="data-table">
            <caption>不正な行</caption>
            <thead>
              <tr>
                <th scope="col">行</th>
                <th scope="col">列</th>
                <th scope="col">理由</th>
              </tr>
            </thead>
            <tbody>
              {preview.rejected.slice(0, 200).map((item, index) => (
                <tr key={`${item.row}-${item.column}-${index}`}>
                  <td>{item.row} 行目</td>
                  <td>{item.column}</td>
                  <td>{item.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.rejected.length > 200 ? <p>ほか {preview.rejected.length - 200} 件</p> : null}
        </div>
      ) : null}

      {preview.createSample.length > 0 ? (
        <div className="data-table-wrap">
          <table className="data-table">
            <caption>新しく登録する場所（最初の {preview.createSample.length} 件）</caption>
            <thead>
              <tr>
                <th scope="col">行</th>
                <th scope="col">名称</th>
                <th scope="col">種類</th>
                <th scope="col">住所</th>
                <th scope="col">日時</th>
              </tr>
            </thead>
            <tbody>
              {preview.createSample.map((item) => (
                <tr key={item.row}>
                  <td>{item.row}</td>
                  <td>{item.name}</td>
                  <td>{item.kind}</td>
                  <td>{item.address}</td>
                  <td>{item.times}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      <Form method="post" className="account-form">
        <CsrfField token={csrf} />
        <input type="hidden" name="token" value={token} />
        <div className="account-form--inline">
          <button type="submit" name="intent" value="commit-all" className="button--primary" disabled={nothingToStore}>
            すべて取り込む（1件でもエラーがあれば取り込まない）
          </button>
          <button type="submit" name="intent" value="commit-valid" disabled={nothingToStore}>
            正しい行だけ取り込む
          </button>
        </div>
        <div className="account-form--inline">
          <button type="submit" name="intent" value="remap">
            列の対応を選び直す
          </button>
          <button type="submit" name="intent" value="cancel">
            取りやめる
          </button>
        </div>
      </Form>
    </section>
  );
}

function DoneStep({ summary }: { summary: Extract<ActionData, { step: "done" }>["summary"] }) {
  return (
    <section aria-labelledby="done-heading">
      <h2 id="done-heading">4. 取り込みました</h2>
      <p>
        「{summary.dataset}」：新規 {summary.create} 件、更新 {summary.update} 件、変更なし {summary.unchanged} 件
        {summary.validOnly && summary.rejected > 0 ? `（不正な ${summary.rejected} 件は取り込んでいません）` : ""}。
      </p>
      {summary.vanished > 0 ? <p>ファイルから消えた {summary.vanished} 件を確認待ちにしました（削除はしていません）。</p> : null}
      <ul className="link-list">
        <li>
          <Link to="/manage/verify">情報の確認（消えた行・未確認の情報）</Link>
        </li>
        <li>
          <Link to="/admin/review">地域資源の審査</Link>
        </li>
        <li>
          <Link to="/admin/import">続けて別のファイルを取り込む</Link>
        </li>
      </ul>
    </section>
  );
}

function SavedMappings({ csrf, savedMappings }: { csrf: string; savedMappings: ReturnType<typeof useLoaderData<typeof loader>>["savedMappings"] }) {
  return (
    <section aria-labelledby="saved-heading">
      <h2 id="saved-heading">保存済みの対応表（{savedMappings.length}件）</h2>
      {savedMappings.length === 0 ? (
        <p>まだありません。列の対応を選ぶ画面で名前を付けて保存できます。</p>
      ) : (
        <div className="data-table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">名前</th>
                <th scope="col">列の対応</th>
                <th scope="col">出典</th>
                <th scope="col">更新</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {savedMappings.map((m) => (
                <tr key={m.id}>
                  <th scope="row">{m.name}</th>
                  <td>{[...m.columns, m.kind].join("、")}</td>
                  <td>{m.source ?? "—"}</td>
                  <td>{m.updatedAt}</td>
                  <td>
                    <Form method="post" className="account-form--inline">
                      <CsrfField token={csrf} />
                      <input type="hidden" name="mappingId" value={m.id} />
                      <button type="submit" name="intent" value="delete-mapping" aria-label={`対応表「${m.name}」を削除`}>
                        削除
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export default function AdminImportPage() {
  const { csrf, sources, savedMappings } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const step = actionData?.step ?? "upload";
  const current = { upload: 0, mapping: 1, preview: 2, done: 3 }[step];
  return (
    <div className="account-page account-page--wide">
      <h1>地域資源の CSV 取り込み</h1>
      <StepList current={current} />
      <Notice tone={actionData?.tone === "error" ? "error" : "info"} message={actionData?.message} />
      {actionData?.step === "mapping" ? <MappingStep key={actionData.mapping.token} csrf={csrf} view={actionData.mapping} errors={actionData.errors} /> : null}
      {actionData?.step === "preview" ? <PreviewStep csrf={csrf} token={actionData.token} preview={actionData.preview} /> : null}
      {actionData?.step === "done" ? <DoneStep summary={actionData.summary} /> : null}
      {step === "upload" ? <UploadStep csrf={csrf} sources={sources} errors={actionData?.errors ?? {}} /> : null}
      {step === "upload" || step === "done" ? <SavedMappings csrf={csrf} savedMappings={savedMappings} /> : null}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("CSV 取り込み") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}
