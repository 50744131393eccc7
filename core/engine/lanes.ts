// Lanes: the items of one batch that concern the same person run one after another, so two rows
// for one person never race to create two Ashby candidates. Different people run in parallel.
import type { Identity } from './resolver.js';
import type { OutboxRow } from './rows.js';

/** Groups items that share a person (same candidate, email key or LinkedIn slug) into one lane, keeping their order. */
export function buildLanes(
  items: readonly OutboxRow[],
  identityOf: (item: OutboxRow) => Identity | undefined,
): OutboxRow[][] {
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    let root = key;
    while (parent.get(root) !== undefined && parent.get(root) !== root)
      root = parent.get(root) as string;
    parent.set(key, root);
    return root;
  };
  const union = (a: string, b: string): void => {
    const rootA = find(a);
    const rootB = find(b);
    if (rootA !== rootB) parent.set(rootB, rootA);
  };
  for (const item of items) {
    const own = `item:${item.id}`;
    parent.set(own, parent.get(own) ?? own);
    const identity = identityOf(item);
    const keys = [`candidate:${item.candidate_id}`];
    if (identity?.email !== undefined) keys.push(`email:${identity.email.key}`);
    if (identity?.linkedIn !== undefined) keys.push(`linkedin:${identity.linkedIn.slug}`);
    for (const key of keys) {
      if (!parent.has(key)) parent.set(key, key);
      union(own, key);
    }
  }
  const lanes = new Map<string, OutboxRow[]>();
  for (const item of items) {
    const root = find(`item:${item.id}`);
    const lane = lanes.get(root) ?? [];
    lane.push(item);
    lanes.set(root, lane);
  }
  return [...lanes.values()];
}
