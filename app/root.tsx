// The page frame: skip link, header with the site name and navigation, main, footer with the data
// credits. The root loader sends the browser only the public settings (map tiles and their credit).
import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration } from "@remix-run/react";
import { errorPageTitle, GeneralErrorBoundary } from "~/components/ErrorPage";
import appStylesHref from "~/styles/app.css";
import { publicEnv } from "~/utils/env.server";
import { useNonce } from "~/utils/nonce";
import { pageTitle, SITE_NAME } from "~/utils/site";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appStylesHref },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader() {
  return { publicEnv: publicEnv() };
}

// Marks the page as scripted before first paint, so map boxes are only laid out when a map can load.
const JS_CLASS_SCRIPT = "document.documentElement.classList.add('js')";

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="ja" suppressHydrationWarning>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="format-detection" content="telephone=no" />
        <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: JS_CLASS_SCRIPT }} />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          本文へスキップ
        </a>
        <header className="site-header">
          <div className="container site-header__inner">
            <a href="/" className="site-name">
              {SITE_NAME}
            </a>
            <nav aria-label="メインメニュー" className="site-nav">
              <ul>
                <li>
                  <NavLink to="/places" end>
                    場所をさがす
                  </NavLink>
                </li>
                <li>
                  <a href="/places?kind=consultation">相談窓口</a>
                </li>
                <li>
                  <NavLink to="/about">データについて</NavLink>
                </li>
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" tabIndex={-1} className="container site-main">
          {children}
        </main>
        <footer className="site-footer">
          <div className="container">
            <p>
              掲載している情報は、各自治体が公開しているオープンデータを加工して作成したものです。
              お出かけの前に、電話などで最新の情報をご確認ください。
            </p>
            <ul className="site-footer__links">
              <li>
                <a href="/about">データの出典とライセンス</a>
              </li>
              <li>
                地図：
                <a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>
                （国土地理院）
              </li>
              <li>
                日本の輪郭：<a href="https://www.naturalearthdata.com/">Natural Earth</a>
              </li>
            </ul>
          </div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export const meta: MetaFunction = ({ error }) => [{ title: error ? pageTitle(errorPageTitle(error)) : pageTitle() }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
