// `/admin/users`: administrators invite people by mail (there is no open sign-up), set each
// account's role and organisation, stop or resume accounts, and clear TOTP for a lost phone.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getDatabase } from "~/utils/db.server";
import { changeRoleAndOrganisation, changeStatus, createOrganisation, resetTwoFactor } from "~/accounts/admin.server";
import { inviteUser, resendInvite } from "~/accounts/invites.server";
import { accountLinks, AccountErrorBoundary, CsrfField, errorProps, FieldError, noStoreHeaders, Notice } from "~/accounts/ui";
import { listOrganisations } from "~/models/organisation.server";
import { listUsersForAdmin } from "~/models/user.server";
import {
  DisplayNameSchema,
  DISPLAY_NAME_MAX_CHARS,
  EmailSchema,
  EMAIL_MAX_CHARS,
  fieldErrorsOf,
  formFields,
  OrganisationNameSchema,
  ORGANISATION_NAME_MAX_CHARS,
  type FieldErrors,
} from "~/utils/account-validation";
import { readForm, requireUser } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getEnv } from "~/utils/env.server";
import { ORGANISATION_KIND_LABELS, ORGANISATION_KINDS, ROLE_LABELS, ROLES } from "~/utils/permissions";
import { minutesUntil } from "~/utils/rate-limit.server";
import { appOrigin, requestInfo } from "~/utils/request.server";
import { pageTitle } from "~/utils/site";

export const links = accountLinks;
export const headers = noStoreHeaders;

const dateTime = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", dateStyle: "medium", timeStyle: "short" });
const STATUS_LABELS: Record<string, string> = { invited: "招待中", active: "利用中", disabled: "停止中" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, { permission: "manage:users", context });
  const { db } = await getDatabase();
  const [users, organisations] = await Promise.all([listUsersForAdmin(db), listOrganisations(db)]);
  return {
    csrf: (await getCsrfToken(request)).token,
    me: auth.user.id,
    organisations,
    users: users.map((u) => ({
      id: u.id,
      email: u.email,
      displayName: u.displayName,
      role: u.role,
      status: u.status,
      statusLabel: STATUS_LABELS[u.status] ?? u.status,
      organisationId: u.organisationId,
      organisationName: u.organisationName,
      totp: u.totpEnabledAt !== null,
      lastLogin: u.lastLoginAt ? dateTime.format(u.lastLoginAt) : "—",
    })),
  };
}

const roleField = z.enum(ROLES, { error: "役割を選んでください" });
const organisationField = z.coerce.number({ error: "所属を選んでください" }).int().positive("所属を選んでください");
const userIdField = z.coerce.number({ error: "対象のアカウントが不明です" }).int().positive("対象のアカウントが不明です");

export const InviteSchema = z.object({
  intent: z.literal("invite"),
  email: EmailSchema,
  displayName: DisplayNameSchema,
  role: roleField,
  organisationId: organisationField,
});
export const UpdateUserSchema = z.object({ intent: z.literal("update"), userId: userIdField, role: roleField, organisationId: organisationField });
export const UserStatusSchema = z.object({ intent: z.enum(["disable", "enable", "reset-2fa", "resend-invite"]), userId: userIdField });
export const OrganisationSchema = z.object({
  intent: z.literal("create-organisation"),
  name: OrganisationNameSchema,
  kind: z.enum(ORGANISATION_KINDS, { error: "種別を選んでください" }),
});

interface AdminUsersActionData {
  intent: string;
  errors: FieldErrors;
  ok?: boolean;
  message?: string;
  messageEn?: string;
}

const FIELDS = ["intent", "email", "displayName", "role", "organisationId", "userId", "name", "kind"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const auth = await requireUser(request, { permission: "manage:users", context });
  const fields = formFields(form, FIELDS);
  const intent = fields.intent ?? "";
  const reply = (status: number, body: Omit<AdminUsersActionData, "intent">) => data<AdminUsersActionData>({ intent, ...body }, { status });
  const { db } = await getDatabase();
  const info = requestInfo(request, context);
  const now = new Date();
  const actor = { id: auth.user.id, role: auth.user.role, displayName: auth.user.displayName };

  if (intent === "invite") {
    const parsed = InviteSchema.safeParse(fields);
    if (!parsed.success) return reply(400, { errors: fieldErrorsOf(parsed.error) });
    const result = await inviteUser(db, { actor, ...parsed.data, origin: appOrigin(request, getEnv().APP_ORIGIN), info, now });
    if (result.kind === "exists") return reply(400, { errors: { email: ["このメールアドレスのアカウントはすでにあります"] } });
    if (result.kind === "no-organisation") return reply(400, { errors: { organisationId: ["所属を選んでください"] } });
    if (result.kind === "limited") {
      return reply(429, { errors: {}, message: `招待の送信が続いたため、${minutesUntil(result.retryAfterMs)}分ほど受付を止めています。`, messageEn: "Too many invitations; please wait." });
    }
    return reply(200, {
      errors: {},
      ok: true,
      message: result.mailed
        ? `${parsed.data.displayName} さんに招待メールを送りました（有効期限7日）。`
        : "アカウントは作成しましたが、メールを送れませんでした。一覧の「招待を再送」からもう一度送ってください。",
    });
  }

  if (intent === "create-organisation") {
    const parsed = OrganisationSchema.safeParse(fields);
    if (!parsed.success) return reply(400, { errors: fieldErrorsOf(parsed.error) });
    const result = await createOrganisation(db, { actor, name: parsed.data.name, kind: parsed.data.kind, info, now });
    if (result.kind === "exists") return reply(400, { errors: { name: ["同じ名前の所属がすでにあります"] } });
    return reply(200, { errors: {}, ok: true, message: `所属「${parsed.data.name}」を追加しました。` });
  }

  if (intent === "update") {
    const parsed = UpdateUserSchema.safeParse(fields);
    if (!parsed.success) return reply(400, { errors: fieldErrorsOf(parsed.error), message: "役割と所属を選んでください。" });
    const result = await changeRoleAndOrganisation(db, { actor, userId: parsed.data.userId, role: parsed.data.role, organisationId: parsed.data.organisationId, info, now });
    if (result.kind === "not-found") return reply(404, { errors: {}, message: "アカウントまたは所属が見つかりません。" });
    if (result.kind === "refused") return reply(400, { errors: {}, message: result.message });
    return reply(200, { errors: {}, ok: true, message: "役割と所属を更新しました。" });
  }

  const parsed = UserStatusSchema.safeParse(fields);
  if (!parsed.success) return reply(400, { errors: {}, message: "操作を読み取れませんでした。", messageEn: "Unknown action." });
  const { userId } = parsed.data;
  if (parsed.data.intent === "resend-invite") {
    const result = await resendInvite(db, { actor, userId, origin: appOrigin(request, getEnv().APP_ORIGIN), info, now });
    if (result === "limited") return reply(429, { errors: {}, message: "招待の送信が続いたため、しばらく受付を止めています。" });
    if (result === "not-invited") return reply(400, { errors: {}, message: "このアカウントは招待中ではありません。" });
    return reply(200, { errors: {}, ok: true, message: "招待メールを再送しました。以前のリンクは使えなくなりました。" });
  }
  const result =
    parsed.data.intent === "reset-2fa"
      ? await resetTwoFactor(db, { actor, userId, info, now })
      : await changeStatus(db, { actor, userId, status: parsed.data.intent === "disable" ? "disabled" : "active", info, now });
  if (result.kind === "not-found") return reply(404, { errors: {}, message: "アカウントが見つかりません。" });
  if (result.kind === "refused") return reply(400, { errors: {}, message: result.message });
  const done = { disable: "アカウントを停止しました（ログイン中の端末もすべて終了しました）。", enable: "アカウントを再開しました。", "reset-2fa": "二要素認証を解除しました。次のログインで設定し直してもらいます。" } as const;
  return reply(200, { errors: {}, ok: true, message: done[parsed.data.intent] });
}

export default function AdminUsersPage() {
  const { csrf, me, organisations, users } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as AdminUsersActionData | undefined;
  const inviteErrors = actionData?.intent === "invite" ? actionData.errors : {};
  const orgErrors = actionData?.intent === "create-organisation" ? actionData.errors : {};
  return (
    <div className="account-page account-page--wide">
      <h1>アカウントの管理</h1>
      <Notice tone={actionData?.ok ? "info" : "error"} message={actionData?.message} messageEn={actionData?.messageEn} />

      <section aria-labelledby="invite-heading">
        <h2 id="invite-heading">招待する</h2>
        <p>招待メールのリンクから、本人がパスワードを設定します（リンクは7日間・1回限り有効）。</p>
        {organisations.length === 0 ? <Notice tone="warning" message="先に下の「所属を追加する」で所属を登録してください。" /> : null}
        <Form method="post" className="account-form" noValidate>
          <CsrfField token={csrf} />
          <input type="hidden" name="intent" value="invite" />
          <div className="field">
            <label htmlFor="invite-email">メールアドレス</label>
            <input id="invite-email" name="email" type="email" required maxLength={EMAIL_MAX_CHARS} {...errorProps("invite-email", inviteErrors.email)} />
            <FieldError id="invite-email-error" errors={inviteErrors.email} />
          </div>
          <div className="field">
            <label htmlFor="invite-name">氏名</label>
            <input id="invite-name" name="displayName" type="text" required maxLength={DISPLAY_NAME_MAX_CHARS} {...errorProps("invite-name", inviteErrors.displayName)} />
            <FieldError id="invite-name-error" errors={inviteErrors.displayName} />
          </div>
          <div className="field">
            <label htmlFor="invite-role">役割</label>
            <select id="invite-role" name="role" required defaultValue="" {...errorProps("invite-role", inviteErrors.role)}>
              <option value="" disabled>
                選んでください
              </option>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </select>
            <FieldError id="invite-role-error" errors={inviteErrors.role} />
          </div>
          <div className="field">
            <label htmlFor="invite-org">所属</label>
            <select id="invite-org" name="organisationId" required defaultValue="" {...errorProps("invite-org", inviteErrors.organisationId)}>
              <option value="" disabled>
                選んでください
              </option>
              {organisations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
            <FieldError id="invite-org-error" errors={inviteErrors.organisationId} />
          </div>
          <div>
            <button type="submit" className="button--primary">
              招待メールを送る
            </button>
          </div>
        </Form>
      </section>

      <section aria-labelledby="users-heading">
        <h2 id="users-heading">アカウント一覧（{users.length}件）</h2>
        <div className="data-table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">氏名・メール</th>
                <th scope="col">状態</th>
                <th scope="col">二要素認証</th>
                <th scope="col">最終ログイン</th>
                <th scope="col">役割・所属</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <td>
                    {u.displayName}
                    {u.id === me ? "（自分）" : null}
                    <br />
                    {u.email}
                  </td>
                  <td>{u.statusLabel}</td>
                  <td>{u.totp ? "設定済み" : "未設定"}</td>
                  <td>{u.lastLogin}</td>
                  <td>
                    <Form method="post" className="account-form--inline">
                      <CsrfField token={csrf} />
                      <input type="hidden" name="intent" value="update" />
                      <input type="hidden" name="userId" value={u.id} />
                      <div className="field">
                        <label htmlFor={`role-${u.id}`}>役割</label>
                        <select id={`role-${u.id}`} name="role" defaultValue={u.role} disabled={u.id === me}>
                          {ROLES.map((role) => (
                            <option key={role} value={role}>
                              {ROLE_LABELS[role]}
                            </option>
                          ))}
                        </select>
                      </div>
                      <div className="field">
                        <label htmlFor={`org-${u.id}`}>所属</label>
                        <select id={`org-${u.id}`} name="organisationId" defaultValue={u.organisationId} disabled={u.id === me}>
                          {organisations.map((o) => (
                            <option key={o.id} value={o.id}>
                              {o.name}
                            </option>
                          ))}
                        </select>
                      </div>
                      {u.id === me ? null : <button type="submit">変更</button>}
                    </Form>
                  </td>
                  <td>
                    {u.id === me ? null : (
                      <Form method="post" className="account-form--inline">
                        <CsrfField token={csrf} />
                        <input type="hidden" name="userId" value={u.id} />
                        {u.status === "invited" ? (
                          <button type="submit" name="intent" value="resend-invite">
                            招待を再送
                          </button>
                        ) : null}
                        {u.status === "active" ? (
                          <button type="submit" name="intent" value="disable">
                            停止
                          </button>
                        ) : null}
                        {u.status === "disabled" ? (
                          <button type="submit" name="intent" value="enable">
                            再開
                          </button>
                        ) : null}
                        {u.totp ? (
                          <button type="submit" name="intent" value="reset-2fa">
                            二要素認証を解除
                          </button>
                        ) : null}
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="org-heading">
        <h2 id="org-heading">所属を追加する</h2>
        <Form method="post" className="account-form" noValidate>
          <CsrfField token={csrf} />
          <input type="hidden" name="intent" value="create-organisation" />
          <div className="field">
            <label htmlFor="org-name">所属名（例：福祉総務課、○○市社会福祉協議会、NPO法人○○）</label>
            <input id="org-name" name="name" type="text" required maxLength={ORGANISATION_NAME_MAX_CHARS} {...errorProps("org-name", orgErrors.name)} />
            <FieldError id="org-name-error" errors={orgErrors.name} />
          </div>
          <div className="field">
            <label htmlFor="org-kind">種別</label>
            <select id="org-kind" name="kind" defaultValue="municipality" {...errorProps("org-kind", orgErrors.kind)}>
              {ORGANISATION_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {ORGANISATION_KIND_LABELS[kind]}
                </option>
              ))}
            </select>
            <FieldError id="org-kind-error" errors={orgErrors.kind} />
          </div>
          <div>
            <button type="submit">所属を追加する</button>
          </div>
        </Form>
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("アカウントの管理") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}
