/**
 * Calculated query cost like Shopify's (simplified, documented): scalars and enums 0, objects 1,
 * connections 2 + first × (1 + cost of the node selection), lists of objects first × (1 + child),
 * mutations 10 per root field. `actualCost` counts what the response really contains.
 */
import {
  getNamedType,
  isCompositeType,
  isListType,
  getNullableType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
  isObjectType,
  isInterfaceType,
} from "graphql";

/** Cost charged for every mutation root field. */
export const MUTATION_COST = 10;

function argInt(
  args: ReadonlyArray<{ name: { value: string }; value: Parameters<typeof valueFromASTUntyped>[0] }> | undefined,
  name: string,
  variables: Record<string, unknown>,
): number | undefined {
  const a = args?.find((x) => x.name.value === name);
  if (!a) return undefined;
  const v = valueFromASTUntyped(a.value, variables);
  return typeof v === "number" ? v : undefined;
}

/** Requested (maximum) cost of the selected operation. */
export function requestedCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> = {},
  operationName?: string,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const op = document.definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  if (!op || op.kind !== Kind.OPERATION_DEFINITION) return 0;
  if (op.operation === "mutation")
    return (
      op.selectionSet.selections.filter((s) => s.kind === Kind.FIELD && !s.name.value.startsWith("__")).length *
      MUTATION_COST
    );

  const costOf = (set: SelectionSetNode, parent: GraphQLCompositeType): number => {
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const t = sel.typeCondition ? (schema.getType(sel.typeCondition.name.value) as GraphQLCompositeType) : parent;
        total += costOf(sel.selectionSet, t);
        continue;
      }
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments.get(sel.name.value);
        if (f) total += costOf(f.selectionSet, schema.getType(f.typeCondition.name.value) as GraphQLCompositeType);
        continue;
      }
      if (!sel.selectionSet || !(isObjectType(parent) || isInterfaceType(parent))) continue;
      const field = parent.getFields()[sel.name.value];
      if (!field) continue;
      const named = getNamedType(field.type);
      if (!isCompositeType(named)) continue;
      const n = argInt(sel.arguments as never, "first", variables) ?? argInt(sel.arguments as never, "last", variables);
      if (named.name.endsWith("Connection") && isObjectType(named)) {
        let inner = 0;
        for (const s of sel.selectionSet.selections) {
          if (s.kind !== Kind.FIELD || !s.selectionSet) continue;
          const sub = named.getFields()[s.name.value];
          if (!sub) continue;
          const subType = getNamedType(sub.type);
          if (s.name.value === "nodes" && isCompositeType(subType)) inner += 1 + costOf(s.selectionSet, subType);
          if (s.name.value === "edges" && isObjectType(subType)) {
            const node = s.selectionSet.selections.find((x) => x.kind === Kind.FIELD && x.name.value === "node");
            const nodeType = getNamedType(subType.getFields().node!.type);
            if (node && node.kind === Kind.FIELD && node.selectionSet && isCompositeType(nodeType))
              inner += 1 + costOf(node.selectionSet, nodeType);
          }
        }
        total += 2 + (n ?? 0) * Math.max(1, inner);
      } else if (isListType(getNullableType(field.type))) {
        total += (n ?? 1) * (1 + costOf(sel.selectionSet, named));
      } else {
        total += 1 + costOf(sel.selectionSet, named);
      }
    }
    return total;
  };
  const root = schema.getQueryType();
  return root ? Math.max(1, costOf(op.selectionSet, root)) : 1;
}

/** Objects actually returned: objects count 1, connections 2 (edges/pageInfo wrappers are free). */
export function actualCost(data: unknown, isMutation: boolean, requested: number): number {
  if (isMutation) return requested;
  let count = 0;
  const walk = (v: unknown, key: string) => {
    if (v === null || typeof v !== "object") return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, key);
      return;
    }
    const o = v as Record<string, unknown>;
    if (key === "pageInfo") return;
    if ("edges" in o || "nodes" in o) count += 2;
    else if (key !== "edges") count += 1;
    for (const [k, x] of Object.entries(o)) walk(x, k);
  };
  walk(data, "");
  return Math.max(1, Math.min(requested, count - 1));
}
