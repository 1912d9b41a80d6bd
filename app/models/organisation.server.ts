// Organisations users belong to (市役所の課, 社協, 委託先 NPO).
import { asc, eq } from "drizzle-orm";
import type { Database, Executor } from "../../db/client.server";
import { organisations } from "../../db/schema";
import type { OrganisationKind } from "~/utils/permissions";

export function listOrganisations(db: Database) {
  return db.select({ id: organisations.id, name: organisations.name, kind: organisations.kind }).from(organisations).orderBy(asc(organisations.name));
}

export async function getOrganisation(db: Executor, { id }: { id: number }) {
  const [row] = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.id, id));
  return row ?? null;
}

/** Creates the organisation, or returns the existing one of that name. */
export async function ensureOrganisation(db: Executor, input: { name: string; kind: OrganisationKind }): Promise<{ id: number; created: boolean }> {
  const [created] = await db.insert(organisations).values(input).onConflictDoNothing({ target: organisations.name }).returning({ id: organisations.id });
  if (created) return { id: created.id, created: true };
  const [existing] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.name, input.name));
  return { id: existing.id, created: false };
}
