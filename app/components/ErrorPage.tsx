// One error boundary for every route: maps a thrown status to a friendly Japanese page.
// The HTTP status stays what the loader threw (404, 400, 500); only the page is friendlier.
import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { SearchBox } from "./SearchBox";

/** What loaders throw for bad input: `data({ message, messageEn }, { status: 400 })`. */
export interface ErrorPayload {
  message?: string;
  messageEn?: string;
}

function payloadOf(data: unknown): ErrorPayload {
  if (typeof data === "string") return data ? { message: data } : {};
  if (data && typeof data === "object") {
    const { message, messageEn } = data as Record<string, unknown>;
    return {
      message: typeof message === "string" ? message : undefined,
      messageEn: typeof messageEn === "string" ? messageEn : undefined,
    };
  }
  return {};
}

/** The <title> for an error page: 「ページが見つかりません」 etc. */
export function errorPageTitle(error: unknown): string {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (status === 404) return "ページが見つかりません";
  if (status === 400) return "検索の条件を確認してください";
  return "ただいまページを表示できません";
}

export function NotFoundContent({ message }: { message?: string }) {
  return (
    <div className="error-page">
      <h1>ページが見つかりません</h1>
      <p>
        {message ??
          "お探しのページは、移動したか削除された可能性があります。アドレスをお確かめいただくか、キーワードで探してください。"}
      </p>
      <p lang="en" className="error-page__en">
        Page not found.
      </p>
      <SearchBox id="error-search-q" />
      <ul className="link-list">
        <li>
          <Link to="/">トップページへ戻る</Link>
        </li>
        <li>
          <Link to="/places?kind=consultation">相談窓口の一覧を見る</Link>
        </li>
      </ul>
    </div>
  );
}

export function GeneralErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const payload = isRouteErrorResponse(error) ? payloadOf(error.data) : {};

  if (status === 404) return <NotFoundContent message={payload.message} />;

  if (status === 400) {
    return (
      <div className="error-page">
        <h1>検索の条件を確認してください</h1>
        <p className="error-page__message">{payload.message ?? "指定された条件を読み取れませんでした。"}</p>
        {payload.messageEn ? (
          <p lang="en" className="error-page__en">
            {payload.messageEn}
          </p>
        ) : null}
        <p>条件を入れ直して、もう一度お探しください。</p>
        <SearchBox id="error-search-q" />
        <ul className="link-list">
          <li>
            <Link to="/places">条件をすべて外して探す</Link>
          </li>
          <li>
            <Link to="/">トップページへ戻る</Link>
          </li>
        </ul>
      </div>
    );
  }

  const known = status === 503 && payload.message;
  return (
    <div className="error-page">
      <h1>ただいまページを表示できません</h1>
      <p>
        {known
          ? payload.message
          : "申し訳ありません。システムで問題が起きています。しばらく時間をおいてから、もう一度お試しください。"}
      </p>
      <p lang="en" className="error-page__en">
        {known && payload.messageEn ? payload.messageEn : "Something went wrong on our side. Please try again later."}
      </p>
      <ul className="link-list">
        <li>
          <Link to="/">トップページへ戻る</Link>
        </li>
      </ul>
    </div>
  );
}
