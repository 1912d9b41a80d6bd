// Test projects: every test runs on PGlite; when TEST_DATABASE_URL is set (CI sets it), the same
// suite runs again against that real PostgreSQL server, so both engines are exercised every run.
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

const shared = {
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
};
const testOptions = {
  include: ["tests/**/*.test.{ts,tsx}"],
  setupFiles: ["tests/setup/fail-on-console-error.ts"],
  globalSetup: ["tests/setup/global-setup.ts"],
  pool: "forks" as const,
  testTimeout: 30_000,
  hookTimeout: 120_000,
};

const projects: TestProjectInlineConfiguration[] = [
  { ...shared, test: { ...testOptions, name: "pglite", env: { PORTAL_TEST_ENGINE: "pglite" } } },
];
if (process.env.TEST_DATABASE_URL) {
  projects.push({ ...shared, test: { ...testOptions, name: "postgres", env: { PORTAL_TEST_ENGINE: "postgres" } } });
}

export default defineConfig({ test: { projects } });
