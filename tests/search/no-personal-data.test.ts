// Nothing about people may reach a search index. People receiving support arrive with the matching
// issue; until then the accounts (staff names, e-mail addresses) are the personal data the
// database holds. This fills the index from a database that has both, then scans every document.
import { expect, test } from "vitest";
import { EmbeddedSearchEngine } from "../../search/embedded";
import { fillIndexFromDatabase } from "../../search/engine.server";
import { toMeiliDocument } from "../../search/meilisearch.server";
import type { SearchDocument } from "../../search/types";
import { makeUser } from "../accounts/helpers";
import { createTestDatabaseWithOpenData } from "../helpers/db";

/** The only fields a search document may have: public facts about a place. */
const PUBLIC_FIELDS = new Set<keyof SearchDocument>([
  "id", "name", "reading", "kind", "kindLabel", "services", "activities", "description", "targetGroups", "conditions",
  "area", "address", "weekdays", "timeBands", "costBand", "status", "location", "schedules", "hoursNote", "updatedAt",
]);

test("search documents hold only public place fields and no account's name or e-mail", async () => {
  const database = await createTestDatabaseWithOpenData();
  try {
    const people = [
      await makeUser(database.db, { role: "staff", email: "yamada.hanako@example.lg.jp" }),
      await makeUser(database.db, { role: "admin", email: "tanaka.ichiro@example.lg.jp" }),
    ];
    const engine = new EmbeddedSearchEngine();
    const count = await fillIndexFromDatabase(database, engine);
    expect(count).toBeGreaterThan(900);

    const all = await engine.search({ limit: 0, facets: ["kind"] });
    expect(all.total).toBe(count);
    const documents: SearchDocument[] = [];
    for (let offset = 0; offset < count; offset += 100) {
      const page = await engine.search({ offset, limit: 100 });
      documents.push(...page.hits.map((h) => h.document));
    }
    expect(documents).toHaveLength(count);
    for (const document of documents) {
      for (const key of Object.keys(document)) expect(PUBLIC_FIELDS.has(key as keyof SearchDocument), key).toBe(true);
    }
    // The Meilisearch form of the documents carries the same facts plus normalised search fields.
    const serialized = JSON.stringify(documents) + JSON.stringify(documents.slice(0, 50).map(toMeiliDocument));
    for (const person of people) {
      expect(serialized).not.toContain(person.email);
      expect(serialized).not.toContain(person.email.split("@")[0]);
    }
    expect(serialized).not.toMatch(/password|totp|session/i);
  } finally {
    await database.cleanup();
  }
});
