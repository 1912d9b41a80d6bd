// `npm run bench:ssr`: starts the built server on a fresh PGlite with the bundled open data, then
// drives /places with a mixed query set and the /hello page of the same server with autocannon
// for a fixed time each, and prints requests/s, p50/p95/p99 latency and the places/hello ratio.
// Targets (issue 2): /places ≥ 70% of hello's throughput, p95 ≤ 50 ms at 50 connections.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";

const root = path.resolve(import.meta.dirname, "../..");
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);

const placesQueries = [
  "/places",
  "/places?q=子育て",
  "/places?q=こそだて",
  "/places?kind=kodomo_shokudo",
  "/places?q=B型",
  "/places?area=焼津市&kind=kominkan",
  "/places?q=サロン",
  "/places?kind=kodomo_shokudo&page=3",
  "/places?q=センター&day=TU",
  "/places?target=elderly",
  "/places?q=食堂&area=練馬区",
  "/places?lat=34.867&lon=138.323&sort=distance",
];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function drive(url: string, paths: string[]) {
  const latencies: number[] = [];
  let non2xx = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: paths.map((p) => ({ method: "GET" as const, path: encodeURI(p) })),
    setupClient(client) {
      client.on("response", (statusCode: number, _bytes: number, responseTime: number) => {
        latencies.push(responseTime);
        if (statusCode < 200 || statusCode >= 300) non2xx++;
      });
    },
  });
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    errors: result.errors + non2xx,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
}

async function main() {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "portal-bench-"));
  try {
    // Rendering every request (page cache off) shows the SSR cost; the default configuration
    // (anonymous pages cached for PAGE_CACHE_SECONDS) is what a deployment serves.
    await runMode("render (PAGE_CACHE_SECONDS=0)", dataDir, "0");
    await runMode("default (page cache on)", dataDir, process.env.PAGE_CACHE_SECONDS ?? "10");
    console.log("\nFigures vary with machine load; run twice and compare before drawing conclusions.");
  } finally {
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

async function runMode(label: string, dataDir: string, pageCacheSeconds: string) {
  const port = await freePort();
  const env: Record<string, string | undefined> = { ...process.env, PGLITE_DIR: path.join(dataDir, "pglite"), PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production", LOG_LEVEL: "warn", ENABLE_BENCH_ROUTES: "1", PAGE_CACHE_SECONDS: pageCacheSeconds, SESSION_SECRET: process.env.SESSION_SECRET || randomBytes(48).toString("base64") };
  delete env.DATABASE_URL;
  console.log(`\n== ${label}: starting the server on PGlite (${env.PGLITE_DIR}); the first start imports the open data…`);
  const child = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/start.ts"], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not up yet
    }
    if (i > 600) throw new Error("server did not start");
    await new Promise((r) => setTimeout(r, 200));
  }
  try {
    for (const p of placesQueries) {
      const response = await fetch(url + encodeURI(p));
      if (!response.ok) throw new Error(`${p} answered ${response.status}`);
    }
    // Warm-up so the JIT and caches are in the same state for both routes.
    await drive(url, ["/hello", ...placesQueries].slice(0, 4));
    const hello = await drive(url, ["/hello"]);
    const places = await drive(url, placesQueries);
    const row = (name: string, r: Awaited<ReturnType<typeof drive>>) =>
      `${name.padEnd(8)} ${r.requestsPerSecond.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p95 ${r.p95.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms   (${r.total} requests, ${r.errors} errors)`;
    console.log(`\n${connections} connections, ${seconds} s each, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "cpu"})`);
    console.log(row("/hello", hello));
    console.log(row("/places", places));
    const ratio = places.requestsPerSecond / hello.requestsPerSecond;
    console.log(`\nplaces/hello throughput ratio: ${(ratio * 100).toFixed(1)}% (target ≥ 70%)`);
    console.log(`/places p95: ${places.p95.toFixed(1)} ms (target ≤ 50 ms)`);
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
