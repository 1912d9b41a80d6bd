// Writing to the search outbox. Call inside the same transaction as the resource change, so the
// index can never miss a committed write (the relay in search/relay.server.ts applies the rows).
import type { Database } from "../db/client.server";
import { searchOutbox } from "../db/schema";

type Executor = Pick<Database, "insert">;

export async function enqueueSearchUpdates(
  tx: Executor,
  resourceIds: number[],
  op: "upsert" | "delete" = "upsert",
): Promise<void> {
  if (resourceIds.length === 0) return;
  await tx.insert(searchOutbox).values(resourceIds.map((resourceId) => ({ resourceId, op })));
}
