/** A place a person can connect: their employer, the payroll platform it uses, or a gig app. */
export interface Item {
  id: string;
  name: string;
  kind: 'employer' | 'payroll platform' | 'gig';
}

const NAMES: [string, Item['kind']][] = [
  ['Bluebird Grocers', 'employer'],
  ['Harborview Health System', 'employer'],
  ['Summit Freight Lines', 'employer'],
  ['Maple Street Bank', 'employer'],
  ['Riverside School District', 'employer'],
  ['Lakeshore Hotels', 'employer'],
  ['Ironwood Construction', 'employer'],
  ['Cedar Valley Foods', 'employer'],
  ['Northgate Retail', 'employer'],
  ['Pinecrest County', 'employer'],
  ['PayPilot', 'payroll platform'],
  ['Ledgerline Payroll', 'payroll platform'],
  ['Clockwise HR', 'payroll platform'],
  ['WageBridge', 'payroll platform'],
  ['Paystream Online', 'payroll platform'],
  ['RideNow Driver', 'gig'],
  ['DashCart Courier', 'gig'],
  ['TaskHive', 'gig'],
  ['ParcelPal', 'gig'],
  ['Gigly Shifts', 'gig'],
];

const itemId = (n: number) => `item_${String(n).padStart(9, '0')}`;

/** The sandbox catalog; ids follow the hosted API's `item_000000001` form. */
export const ITEMS: readonly Item[] = NAMES.map(([name, kind], i) => ({ id: itemId(i + 1), name, kind }));

const byId = new Map(ITEMS.map((i) => [i.id, i]));
const ITEM_ID = /^item_\d{9}$/;

/**
 * An Item by id. Ids of the hosted form that the catalog lacks still name an Item, so an
 * invite sent with real `flow_items` works here too.
 */
export function itemById(id: string): Item | undefined {
  const known = byId.get(id);
  if (known) return known;
  return ITEM_ID.test(id) ? { id, name: `Sandbox Item ${Number(id.slice(5))}`, kind: 'employer' } : undefined;
}

/** The Items an invite offers: its `flow_items` when it names any, else the whole catalog. */
export function itemsFor(flowItems: readonly string[]): Item[] {
  const named = [...new Set(flowItems)].map(itemById).filter((i): i is Item => i !== undefined);
  return named.length > 0 ? named : [...ITEMS];
}

/** Case-insensitive match on name or kind; an empty query matches everything. */
export function searchItems(items: readonly Item[], query: string): Item[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...items];
  return items.filter((i) => i.name.toLowerCase().includes(q) || i.kind.includes(q) || i.id === q);
}
