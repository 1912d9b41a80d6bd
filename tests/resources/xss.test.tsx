// Hostile text renders as text: the registration form shows back what was typed (escaped), and the
// coordinators' queue shows a resident's report escaped too. Rendered with React on the server, as
// the pages are.
import { renderToString } from "react-dom/server";
import type { RouteObject } from "react-router-dom";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { expect, test } from "vitest";
import { ResourceForm } from "~/resources/ResourceForm";
import VerifyPage from "~/routes/manage.verify";
import { emptyResourceForm } from "~/utils/resource-form";

const SCRIPT = '<script>alert("x")</script>';
const IMG = '"><img src=x onerror=alert(1)>';

async function render(routes: RouteObject[]): Promise<string> {
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request("http://localhost/"));
  if (context instanceof Response) throw new Error(`unexpected response ${context.status}`);
  return renderToString(<StaticRouterProvider router={createStaticRouter(handler.dataRoutes, context)} context={context} hydrate={false} />);
}

test("the registration form renders typed markup as text, in values and in errors", async () => {
  const values = { ...emptyResourceForm(), name: SCRIPT, description: IMG };
  const html = await render([{ path: "/", element: <ResourceForm csrf="t" values={values} errors={{ name: [SCRIPT] }} submitLabel="保存" /> }]);
  expect(html).not.toContain("<script>");
  expect(html).not.toContain("<img");
  expect(html).toContain("&lt;script&gt;");
});

test("a resident's report with markup is shown escaped in the coordinators' queue", async () => {
  const loaderData = {
    csrf: "t",
    months: 6,
    unverified: [{ id: 1, name: SCRIPT, kind: "サロン", area: null, lastVerifiedOn: null }],
    reports: [{ id: 1, resourceId: 1, name: SCRIPT, message: `${SCRIPT}\n${IMG}`, contact: IMG, createdAt: "2026年11月23日" }],
  };
  const html = await render([{ path: "/", loader: () => loaderData, element: <VerifyPage /> }]);
  expect(html).not.toContain("<script>alert");
  expect(html).not.toContain("<img");
  expect(html).toContain("&lt;script&gt;alert");
});
