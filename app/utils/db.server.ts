// Route modules reach the database through this file: the classic compiler empties `.server`
// modules only inside app/, so a route importing db/client.server directly drags the drivers
// into the browser bundle.
export { getDatabase } from "../../db/client.server";
