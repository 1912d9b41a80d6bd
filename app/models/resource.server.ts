// Public reads of the directory for resident pages: one resource with its schedules and the
// attribution its source requires, and the list of sources for /about. Nothing here touches people.
import { and, asc, count, eq, isNotNull } from "drizzle-orm";
import { getDatabase } from "../../db/client.server";
import { resources, schedules, sources } from "../../db/schema";
import { SAMPLE_SOURCE_KEY } from "../matching/vocabulary";

/** The columns a public page or export may show of a resource, with its source's credit. */
export const PUBLIC_RESOURCE_COLUMNS = {
  id: resources.id,
  name: resources.name,
  nameKana: resources.nameKana,
  kind: resources.kind,
  services: resources.services,
  description: resources.description,
  activities: resources.activities,
  targetGroups: resources.targetGroups,
  conditions: resources.conditions,
  costKind: resources.costKind,
  costYen: resources.costYen,
  costNote: resources.costNote,
  capacity: resources.capacity,
  postalCode: resources.postalCode,
  prefecture: resources.prefecture,
  city: resources.city,
  addressLine: resources.addressLine,
  building: resources.building,
  latitude: resources.latitude,
  longitude: resources.longitude,
  area: resources.area,
  operator: resources.operator,
  phone: resources.phone,
  email: resources.email,
  url: resources.url,
  hoursNote: resources.hoursNote,
  accessNote: resources.accessNote,
  status: resources.status,
  lastVerifiedOn: resources.lastVerifiedOn,
  sourceNote: resources.sourceNote,
  source: {
    publisher: sources.publisher,
    dataset: sources.dataset,
    licence: sources.licence,
    licenceUrl: sources.licenceUrl,
    attribution: sources.attribution,
    sourceUrl: sources.sourceUrl,
  },
};

export async function getPublicResource({ id }: { id: number }) {
  const { db } = await getDatabase();
  const [found] = await db
    .select({ ...PUBLIC_RESOURCE_COLUMNS, sourceKey: sources.key })
    .from(resources)
    .leftJoin(sources, eq(sources.id, resources.sourceId))
    // Drafts and entries under review are not public (issue 5).
    .where(and(eq(resources.id, id), eq(resources.reviewStatus, "published")))
    .limit(1);
  if (!found) return null;
  const { sourceKey, ...row } = found;

  const sessionRows = await db
    .select({
      rrule: schedules.rrule,
      startsOn: schedules.startsOn,
      startTime: schedules.startTime,
      endTime: schedules.endTime,
      exceptionDates: schedules.exceptionDates,
      note: schedules.note,
    })
    .from(schedules)
    .where(eq(schedules.resourceId, id))
    .orderBy(asc(schedules.id));

  // A left join yields an object of nulls when the resource was registered by hand.
  const source = row.source?.publisher ? row.source : null;
  // The fictional sample venues are labelled サンプル wherever they are shown.
  return { ...row, source, schedules: sessionRows, sample: sourceKey === SAMPLE_SOURCE_KEY };
}

export type PublicResource = NonNullable<Awaited<ReturnType<typeof getPublicResource>>>;

/** Every source with how many resources it contributes, for the data and licence page. */
export async function listSourcesWithCounts() {
  const { db } = await getDatabase();
  return db
    .select({
      id: sources.id,
      publisher: sources.publisher,
      dataset: sources.dataset,
      licence: sources.licence,
      licenceUrl: sources.licenceUrl,
      attribution: sources.attribution,
      sourceUrl: sources.sourceUrl,
      importedAt: sources.importedAt,
      resourceCount: count(resources.id),
    })
    .from(sources)
    .leftJoin(resources, eq(resources.sourceId, sources.id))
    .where(isNotNull(sources.id))
    .groupBy(sources.id)
    .orderBy(asc(sources.id));
}
