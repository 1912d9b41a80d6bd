// Single Fetch is on (remix.config.js): this makes useLoaderData/useActionData types match what
// turbo-stream really delivers (Dates stay Dates) and types loaders that return `data(…, { headers })`.
import "@remix-run/node";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
