// `npm run bench:matching`: the matching engine's speed (app/matching/engine.ts).
//
// 1. The pure engine over 10k and 100k synthetic places around one city (a realistic mix of kinds,
//    target groups, conditions, weekly/monthly schedules, costs, capacities, verification dates;
//    seeded, so every run scores the same data) for 100 synthetic people: p50/p95/p99 per person.
//    "warm" scores the same candidate objects again (the engine remembers per-place features and
//    the schedule expansion per day, as a page reusing search documents would); "cold" hands it
//    fresh copies for every person (what a page that loads from the database pays). Both after an
//    untimed warm-up pass over other synthetic people (a running server's steady state); the very
//    first call is printed apart.
// 2. End to end on 10k places: retrieval (embedded search engine, geo radius) + loading the
//    candidates from a temporary PGlite database + the engine, per person (matchFromDirectory,
//    the function the staff suggestions page calls).
//
// 3. The staff suggestions page (/staff/people/:id/suggestions) on 10k places: the built server on a
//    temporary PGlite, a staff member signed in with 2FA, one case (consent 同意) with an assessment
//    created through the forms, then GETs of the page (audited reads, retrieval, engine, render) with
//    a few connections, as scripts/bench/ssr.ts drives /places.
//
// Environment: BENCH_SIZES (default 10000,100000), BENCH_PEOPLE (default 100), BENCH_E2E=0 to skip
// step 2, BENCH_PAGE=0 to skip step 3 (BENCH_SECONDS, default 10; BENCH_CONNECTIONS, default 4).
// Timings depend on the machine and what else runs on it.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { openDatabase, type DatabaseHandle } from "../../db/client.server";
import { migrateDatabase } from "../../db/migrate.server";
import { resources, schedules, sources } from "../../db/schema";
import { matchFromDirectory } from "../../app/matching/candidates.server";
import { matchNeeds } from "../../app/matching/engine";
import type { Needs } from "../../app/matching/needs";
import type { Candidate } from "../../app/matching/types";
import { loadSearchDocuments } from "../../search/documents.server";
import { EmbeddedSearchEngine } from "../../search/embedded";
import autocannon from "autocannon";
import { CENTRE, syntheticCandidates, syntheticNeeds } from "../../tests/matching/synthetic";

const SIZES = (process.env.BENCH_SIZES ?? "10000,100000").split(",").map((s) => Number(s.trim())).filter((n) => n > 0);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100);
const WITH_E2E = process.env.BENCH_E2E !== "0";
const WITH_PAGE = process.env.BENCH_PAGE !== "0";
const PAGE_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PAGE_CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
/** Candidates retrieved per person end to end (default: retrieveCandidates' own cap). */
const CANDIDATE_CAP = process.env.BENCH_CAP ? Number(process.env.BENCH_CAP) : undefined;
const TODAY = "2026-12-01";
/** People scored untimed before the engine figures (JIT warm-up). */
const WARM_UP_PEOPLE = 50;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms  p95 ${percentile(sorted, 95).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms`;
}

/**
 * Wall-clock and CPU time of one call. On a shared machine the wall clock includes waiting for a
 * core; the process's CPU time (user + system) is what the call itself cost.
 */
interface Timing {
  wall: number[];
  cpu: number[];
}
function timed<T>(timing: Timing, work: () => T): T {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = work();
  timing.wall.push(performance.now() - started);
  const used = process.cpuUsage(cpu);
  timing.cpu.push((used.user + used.system) / 1000);
  return result;
}
function report(timing: Timing): string {
  return `wall ${summary(timing.wall)} | cpu ${summary(timing.cpu)} (n=${timing.wall.length})`;
}

function benchPure(size: number, people: Needs[]): void {
  const candidates = syntheticCandidates(size);
  const first = performance.now();
  const firstResult = matchNeeds(people[0], candidates, TODAY);
  const firstMs = performance.now() - first;
  // A running server has compiled the engine long before: one untimed pass over other people
  // first, so the figures are the steady state (the first call above shows the start).
  for (const needs of syntheticNeeds(WARM_UP_PEOPLE, 99)) matchNeeds(needs, candidates, TODAY);
  const warm: Timing = { wall: [], cpu: [] };
  let suggested = 0;
  for (const needs of people) suggested += timed(warm, () => matchNeeds(needs, candidates, TODAY)).suggestions.length;
  const cold: Timing = { wall: [], cpu: [] };
  const coldPeople = size > 20_000 ? people.slice(0, 20) : people;
  for (const needs of syntheticNeeds(10, 98)) matchNeeds(needs, syntheticCandidates(size, 5), TODAY);
  for (const needs of coldPeople) {
    const fresh = syntheticCandidates(size); // new objects: nothing remembered
    timed(cold, () => matchNeeds(needs, fresh, TODAY));
  }
  console.log(`\n■ engine only, ${size.toLocaleString()} places × ${people.length} people`);
  console.log(`  first call (features and schedules computed): ${firstMs.toFixed(1)} ms (${firstResult.excludedCount} excluded, ${firstResult.suggestions.length} suggested)`);
  console.log(`  warm (same place objects): ${report(warm)}; avg ${(suggested / people.length).toFixed(1)} suggestions`);
  console.log(`  cold (fresh place objects every person): ${report(cold)}`);
}

/** Writes synthetic places (and their schedules) into a migrated database. */
async function insertSynthetic(handle: DatabaseHandle, candidates: Candidate[]): Promise<void> {
  const [source] = await handle.db
    .insert(sources)
    .values({ key: "bench", publisher: "bench", dataset: "bench", licence: "CC0", attribution: "bench" })
    .returning({ id: sources.id });
  for (let i = 0; i < candidates.length; i += 500) {
    const batch = candidates.slice(i, i + 500);
    const rows = await handle.db
      .insert(resources)
      .values(
        batch.map((c) => ({
          name: c.name,
          kind: c.kind,
          description: c.description,
          activities: c.activities,
          targetGroups: c.targetGroups,
          conditions: c.conditions,
          costKind: c.costKind,
          costYen: c.costYen,
          capacity: c.capacity,
          city: c.city,
          area: c.area,
          latitude: c.latitude,
          longitude: c.latitude === null ? null : c.longitude,
          status: c.status,
          lastVerifiedOn: c.lastVerifiedOn,
          hoursNote: c.hoursNote,
          sourceId: source.id,
          sourceRowId: String(c.id),
        })),
      )
      .returning({ id: resources.id });
    const scheduleRows = batch.flatMap((c, k) => c.schedules.map((s) => ({ resourceId: rows[k].id, rrule: s.rrule, startsOn: s.startsOn, startTime: s.startTime, endTime: s.endTime })));
    if (scheduleRows.length > 0) await handle.db.insert(schedules).values(scheduleRows);
  }
}

async function benchEndToEnd(size: number, people: Needs[]): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "bench-matching-"));
  const handle = await openDatabase({ url: "", pgliteDir: dir });
  try {
    await migrateDatabase(handle);
    await insertSynthetic(handle, syntheticCandidates(size));
    const engine = new EmbeddedSearchEngine();
    await engine.replaceAll(await loadSearchDocuments(handle.db, undefined, { readings: false }));
    await matchFromDirectory(handle, engine, people[0], TODAY, { candidateLimit: CANDIDATE_CAP }); // warm up the query paths
    const times: number[] = [];
    const counts: number[] = [];
    for (const needs of people) {
      const started = performance.now();
      const { candidateCount } = await matchFromDirectory(handle, engine, needs, TODAY, { candidateLimit: CANDIDATE_CAP });
      times.push(performance.now() - started);
      counts.push(candidateCount);
    }
    // (PGlite runs in this process, so its time is part of the figure.)
    counts.sort((a, b) => a - b);
    console.log(`\n■ end to end (search radius → PGlite load → engine), ${size.toLocaleString()} places × ${people.length} people`);
    console.log(`  wall ${summary(times)} (n=${times.length}); candidates per person p50 ${percentile(counts, 50)} / max ${counts[counts.length - 1]}`);
  } finally {
    await handle.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}


async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** A form POST to the running server as the signed-in staff member. */
async function postForm(url: string, path: string, session: { cookie: string; csrf: string }, fields: [string, string][]): Promise<Response> {
  return fetch(url + path, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: url, Cookie: session.cookie },
    body: new URLSearchParams([["csrf", session.csrf], ...fields]).toString(),
  });
}

async function benchPage(size: number): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "bench-matching-page-"));
  const root = path.resolve(import.meta.dirname, "../..");
  const secret = process.env.SESSION_SECRET || randomBytes(48).toString("base64");
  // The staff account and its session are written here and read by the server: same secret.
  process.env.SESSION_SECRET = secret;
  process.env.NODE_ENV = "production";
  const pgliteDir = path.join(dir, "pglite");
  let child: ReturnType<typeof spawn> | null = null;
  try {
    const handle = await openDatabase({ url: "", pgliteDir });
    let session: { cookie: string; csrf: string };
    try {
      await migrateDatabase(handle);
      await insertSynthetic(handle, syntheticCandidates(size));
      const { makeUser, signIn } = await import("../../tests/accounts/helpers");
      const staff = await makeUser(handle.db, { role: "staff", totp: true });
      session = await signIn(handle.db, staff, { twoFactorVerified: true, production: true });
    } finally {
      await handle.close();
    }
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PGLITE_DIR: pgliteDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      SESSION_SECRET: secret,
      PERSON_READ_ALERT_PER_HOUR: "100000",
      DATA_ENCRYPTION_KEYS: process.env.DATA_ENCRYPTION_KEYS || `k1:${randomBytes(32).toString("base64")}`,
    };
    delete env.DATABASE_URL;
    delete env.MEILI_HOST;
    child = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/start.ts"], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
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
    const intake = await postForm(url, "/staff/people/new", session, [
      ["name", "焼津 花子"], ["nameKana", "やいづ はなこ"], ["birthYear", "1972"], ["address", "静岡県焼津市本町1-1"],
      ["area", "焼津市"], ["latitude", String(CENTRE.lat)], ["longitude", String(CENTRE.lon)], ["phone", ""], ["email", ""],
      ["referredBy", "地域包括支援センター"], ["householdMode", "none"], ["householdCaseNumber", ""], ["householdNote", ""],
      ["consentState", "agree"], ["consentDate", "2026-11-01"], ["consentScope", "関係機関との情報共有"], ["consentNote", ""],
    ]);
    const caseNumber = /\/staff\/people\/(\d{4}-\d{4,})/.exec(intake.headers.get("Location") ?? "")?.[1];
    if (!caseNumber) throw new Error(`intake answered ${intake.status}`);
    const assessment = await postForm(url, `/staff/people/${caseNumber}/assessment`, session, [
      ["assessedOn", "2026-11-10"], ["interests", "talking"], ["interests", "cooking"], ["wants", "ibasho"], ["wants", "koryu"],
      ...(["MO", "TU", "WE", "TH", "FR"] as const).flatMap((d): [string, string][] => [[`avail.${d}.from`, "09:00"], [`avail.${d}.to`, "17:00"]]),
      ["transport", "bus"], ["maxDistanceKm", "10"], ["conditions", "firstTimeFriendly"], ["shortTermGoal", "週1回、家の外で過ごす"],
    ]);
    if (assessment.status >= 400) throw new Error(`assessment answered ${assessment.status}`);
    const pagePath = `/staff/people/${caseNumber}/suggestions`;
    const first = await fetch(url + pagePath, { headers: { Cookie: session.cookie } });
    const html = await first.text();
    if (!first.ok || !html.includes("段階")) throw new Error(`${pagePath} answered ${first.status}`);
    const latencies: number[] = [];
    let failures = 0;
    const result = await autocannon({
      url: url + pagePath,
      connections: PAGE_CONNECTIONS,
      duration: PAGE_SECONDS,
      headers: { Cookie: session.cookie },
      setupClient(client) {
        client.on("response", (statusCode: number, _bytes: number, responseTime: number) => {
          latencies.push(responseTime);
          if (statusCode !== 200) failures++;
        });
      },
    });
    latencies.sort((a, b) => a - b);
    console.log(`\n■ staff suggestions page, ${size.toLocaleString()} places (${PAGE_CONNECTIONS} connections, ${PAGE_SECONDS} s)`);
    console.log(
      `  ${result.requests.average.toFixed(1)} req/s  p50 ${percentile(latencies, 50).toFixed(1)} ms  p95 ${percentile(latencies, 95).toFixed(1)} ms  p99 ${percentile(latencies, 99).toFixed(1)} ms  (${latencies.length} requests, ${failures + result.errors} errors)`,
    );
  } finally {
    if (child) {
      const exited = new Promise((r) => child!.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`matching benchmark — node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), load average ${os.loadavg()[0].toFixed(1)}, today ${TODAY}`);
  const people = syntheticNeeds(PEOPLE);
  for (const size of SIZES) benchPure(size, people);
  if (WITH_E2E) await benchEndToEnd(10_000, people);
  if (WITH_PAGE) await benchPage(10_000);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
