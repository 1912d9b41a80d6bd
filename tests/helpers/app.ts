// Route tests call loaders directly: this installs a fresh database with the bundled open data
// as the process-wide one and fills the search engine from it, as `npm start` does.
import { setDatabase, closeDatabase } from "../../db/client.server";
import { fillIndexFromDatabase } from "../../search/engine.server";
import { createTestDatabaseWithOpenData, type TestDatabase } from "./db";

export async function createTestApp(): Promise<TestDatabase> {
  const database = await createTestDatabaseWithOpenData();
  setDatabase(database);
  await fillIndexFromDatabase(database);
  return {
    ...database,
    async cleanup() {
      await closeDatabase().catch(() => {});
      await database.cleanup().catch(() => {});
    },
  };
}
