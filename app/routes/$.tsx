// Any address no other route claims: a 404 page with a search box (rendered by the boundary).
import { data, type MetaFunction } from "@remix-run/node";
import { GeneralErrorBoundary } from "~/components/ErrorPage";
import { pageTitle } from "~/utils/site";

export async function loader() {
  throw data({}, { status: 404 });
}

export default function NotFound() {
  // Never rendered: the loader always throws, and the boundary shows the page.
  return null;
}

export const meta: MetaFunction = () => [{ title: pageTitle("ページが見つかりません") }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
