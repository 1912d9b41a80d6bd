// Pieces every account page uses: the hidden CSRF field, field errors tied to their inputs, the
// page-level message box, and an error boundary that explains 403 / 429 instead of "server error".
import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/ErrorPage";
import accountStylesHref from "./accounts.css";

export const accountLinks = () => [{ rel: "stylesheet", href: accountStylesHref }];

/** Authenticated and token pages must never be stored by a browser or proxy. */
export const noStoreHeaders = () => ({ "Cache-Control": "no-store" });

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="csrf" value={token} />;
}

export function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors || errors.length === 0) return null;
  return (
    <p className="field-error" id={id}>
      {errors.join(" ")}
    </p>
  );
}

/** aria attributes for an input whose errors are shown by <FieldError id={`${name}-error`}>. */
export function errorProps(name: string, errors?: string[]) {
  return errors && errors.length > 0 ? { "aria-invalid": true as const, "aria-describedby": `${name}-error` } : {};
}

export function Notice({ tone = "info", message, messageEn }: { tone?: "info" | "error" | "warning"; message?: string | null; messageEn?: string | null }) {
  if (!message) return null;
  return (
    <div className={`notice notice--${tone}`} role={tone === "error" ? "alert" : "status"}>
      <p>{message}</p>
      {messageEn ? <p lang="en">{messageEn}</p> : null}
    </div>
  );
}

const TITLES: Record<number, string> = {
  400: "入力内容を確認してください",
  403: "この操作はできません",
  405: "この操作はできません",
  413: "送信内容が大きすぎます",
  429: "しばらく待ってからお試しください",
};

export function AccountErrorBoundary() {
  const error = useRouteError();
  if (!isRouteErrorResponse(error) || !(error.status in TITLES)) return <GeneralErrorBoundary />;
  const payload = (error.data ?? {}) as { message?: unknown; messageEn?: unknown };
  const message = typeof payload.message === "string" ? payload.message : "この操作を行うことはできません。";
  const messageEn = typeof payload.messageEn === "string" ? payload.messageEn : null;
  return (
    <div className="error-page">
      <h1>{TITLES[error.status]}</h1>
      <p className="error-page__message">{message}</p>
      {messageEn ? (
        <p lang="en" className="error-page__en">
          {messageEn}
        </p>
      ) : null}
      <ul className="link-list">
        <li>
          <Link to="/account">アカウントのページへ</Link>
        </li>
        <li>
          <Link to="/">トップページへ戻る</Link>
        </li>
      </ul>
    </div>
  );
}
