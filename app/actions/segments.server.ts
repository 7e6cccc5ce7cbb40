/**
 * Keeps the app's customer segments in step with the tier rules: one segment per tier and one for
 * at-risk customers, filtering on the app's tags (app/actions/tags.ts). Creates missing segments,
 * updates changed ones, deletes those of removed tiers. A segment created by an attempt that died
 * before its id was stored is found by name and adopted, so a retry never creates a twin.
 */
import type { Db } from "~/db.server";
import { deleteActionSegment, listActionSegments, saveActionSegment } from "~/models/actions.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import type { TierRule } from "~/settings/settings-schema";
import { getSettings } from "~/settings/shop-settings.server";
import { SEGMENT_BY_ID, SEGMENT_BY_NAME, SEGMENT_CREATE, SEGMENT_DELETE, SEGMENT_UPDATE } from "./documents";
import { segmentDefinitions, type SegmentDefinition } from "./tags";

/** What a sync did. */
export interface SegmentSyncResult {
  created: string[];
  updated: string[];
  deleted: string[];
  unchanged: number;
}

type SegmentNode = { id: string; name: string; query: string };

async function findByName(admin: AdminGraphql, name: string): Promise<SegmentNode | null> {
  const { data } = await admin.request(SEGMENT_BY_NAME, {
    query: `name:'${name.replace(/'/g, "\\'")}'`,
  });
  return data.segments.edges.map((e) => e.node).find((n) => n.name === name) ?? null;
}

async function ensure(
  admin: AdminGraphql,
  def: SegmentDefinition,
  knownId: string | null,
  onCreate: () => void = () => {},
): Promise<SegmentNode> {
  let existing: SegmentNode | null = null;
  if (knownId) {
    const { data } = await admin.request(SEGMENT_BY_ID, { id: knownId });
    existing = data.segment ?? null; // null: the merchant deleted it; recreate
  }
  existing ??= await findByName(admin, def.name);
  if (!existing) {
    const r = await admin.mutate(SEGMENT_CREATE, { name: def.name, query: def.query }, "segmentCreate");
    if (!r.segment) throw new Error("segmentCreate returned no segment");
    onCreate();
    return r.segment;
  }
  if (existing.name === def.name && existing.query === def.query) return existing;
  const r = await admin.mutate(SEGMENT_UPDATE, { id: existing.id, name: def.name, query: def.query }, "segmentUpdate");
  if (!r.segment) throw new Error("segmentUpdate returned no segment");
  return r.segment;
}

/** Brings the shop's segments in line with its tier rules and tag prefix. */
export async function syncSegments(
  db: Db,
  admin: AdminGraphql,
  shop: string,
  settings: { tagPrefix: string; tierRules: TierRule[] },
): Promise<SegmentSyncResult> {
  const result: SegmentSyncResult = { created: [], updated: [], deleted: [], unchanged: 0 };
  const stored = new Map((await listActionSegments(db, shop)).map((s) => [s.key, s]));
  const wanted = segmentDefinitions(settings.tagPrefix, settings.tierRules);
  for (const def of wanted) {
    const prev = stored.get(def.key);
    if (prev && prev.name === def.name && prev.query === def.query) {
      result.unchanged++;
      continue;
    }
    const seg = await ensure(admin, def, prev?.segmentId ?? null);
    await saveActionSegment(db, shop, { key: def.key, segmentId: seg.id, name: def.name, query: def.query });
    (prev ? result.updated : result.created).push(def.key);
  }
  const keys = new Set(wanted.map((d) => d.key));
  for (const [key, prev] of stored) {
    if (keys.has(key)) continue;
    try {
      await admin.mutate(SEGMENT_DELETE, { id: prev.segmentId }, "segmentDelete");
    } catch (e) {
      // Already gone in Shopify (deleted by the merchant): forget it all the same.
      if (!(e instanceof Error && /does not exist|not found/i.test(e.message))) throw e;
    }
    await deleteActionSegment(db, shop, key);
    result.deleted.push(key);
  }
  return result;
}

/** One of the app's segments, as the pages link to it. */
export interface AudienceSegment {
  key: string;
  segmentId: string;
  name: string;
  query: string;
  /** True when this call created it in Shopify (false: an existing one was found and linked). */
  created: boolean;
}

/**
 * The segment of one audience (`tier:<name>` or `at-risk`) on demand, e.g. from the customers list:
 * the one the Segments automation keeps when it exists in Shopify, else one found by its name, else a
 * new one (segmentCreate). Stored under the same key, so the automation adopts it rather than
 * creating a twin. Null for a key that is no current tier / at-risk.
 */
export async function segmentForAudience(
  db: Db,
  admin: AdminGraphql,
  shop: string,
  key: string,
): Promise<AudienceSegment | null> {
  const settings = await getSettings(db, shop);
  const def = segmentDefinitions(settings.tagPrefix, settings.tierRules).find((d) => d.key === key);
  if (!def) return null;
  const prev = (await listActionSegments(db, shop)).find((s) => s.key === key);
  let created = false;
  const seg = await ensure(admin, def, prev?.segmentId ?? null, () => (created = true));
  if (!prev || prev.segmentId !== seg.id || prev.name !== def.name || prev.query !== def.query)
    await saveActionSegment(db, shop, { key, segmentId: seg.id, name: def.name, query: def.query });
  return { key, segmentId: seg.id, name: seg.name, query: seg.query, created };
}
