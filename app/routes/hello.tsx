// A hello-world page rendered through the same root layout, used only by `npm run bench:ssr` as
// the baseline for /places. It answers 404 unless ENABLE_BENCH_ROUTES=1.
import { useLoaderData } from "@remix-run/react";
import { getEnv } from "../utils/env.server";

export async function loader() {
  if (getEnv().ENABLE_BENCH_ROUTES !== "1") throw new Response("Not Found", { status: 404 });
  return { message: "こんにちは" };
}

export default function Hello() {
  const { message } = useLoaderData<typeof loader>();
  return <p>{message}</p>;
}
