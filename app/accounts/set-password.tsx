// The form behind an invite or reset link: one schema (shared with the actions) and one component.
import { Form } from "@remix-run/react";
import { z } from "zod";
import { NewPasswordSchema, PASSWORD_MAX_BYTES, PASSWORD_MIN_CHARS, type FieldErrors } from "~/utils/account-validation";
import { CsrfField, errorProps, FieldError, Notice } from "./ui";

export const SetPasswordSchema = z
  .object({ password: NewPasswordSchema, confirm: z.string({ error: "確認のため、もう一度入力してください" }) })
  .refine((v) => v.password === v.confirm.normalize("NFKC"), { path: ["confirm"], message: "確認用のパスワードが一致しません" });

export interface SetPasswordActionData {
  errors: FieldErrors;
  message?: string;
  messageEn?: string;
}

export function SetPasswordForm(props: { csrf: string; email: string; submitLabel: string; actionData?: SetPasswordActionData }) {
  const errors = props.actionData?.errors ?? {};
  return (
    <>
      <Notice tone="error" message={props.actionData?.message} messageEn={props.actionData?.messageEn} />
      <Form method="post" className="account-form" noValidate>
        <CsrfField token={props.csrf} />
        {/* Lets password managers store the new password under the right account. */}
        <input type="email" name="username" autoComplete="username" value={props.email} readOnly hidden />
        <div className="field">
          <label htmlFor="password">新しいパスワード</label>
          <p className="field__hint" id="password-hint">
            {PASSWORD_MIN_CHARS}文字以上。長めの文（例：好きな言葉をいくつか並べたもの）がおすすめです。よく使われるパスワードやメールアドレスを含むものは使えません。
            （最大 {PASSWORD_MAX_BYTES} バイト）
          </p>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={PASSWORD_MIN_CHARS}
            required
            aria-describedby={errors.password ? "password-hint password-error" : "password-hint"}
            aria-invalid={errors.password ? true : undefined}
          />
          <FieldError id="password-error" errors={errors.password} />
        </div>
        <div className="field">
          <label htmlFor="confirm">新しいパスワード（確認）</label>
          <input id="confirm" name="confirm" type="password" autoComplete="new-password" required {...errorProps("confirm", errors.confirm)} />
          <FieldError id="confirm-error" errors={errors.confirm} />
        </div>
        <div>
          <button type="submit" className="button--primary">
            {props.submitLabel}
          </button>
        </div>
      </Form>
    </>
  );
}

export const INVALID_LINK = {
  message: "このリンクは無効か、有効期限が切れています。リンクは1回だけ使えます。管理者に招待の再送を依頼するか、「パスワードを忘れた方」から再設定してください。",
  messageEn: "This link is invalid, already used or expired.",
};
