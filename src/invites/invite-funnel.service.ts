import { clockOffsetOf } from '../db/sandbox-clocks.repo.ts';
import type { Deps } from '../deps.ts';
import * as repo from './invite-funnel.repo.ts';

/** The funnel's stages, in order; each counts the invites that reached it or a later one. */
export const FUNNEL_STAGES = ['sent', 'delivered', 'opened', 'initiated', 'attempted', 'completed'] as const;

export const FUNNEL_CHANNELS = ['email', 'sms'] as const;
export type FunnelChannel = (typeof FUNNEL_CHANNELS)[number];

/** Invites first sent from `from` (inclusive) to `to` (exclusive). */
export interface FunnelPeriod {
  from: Date;
  to: Date;
}

export interface FunnelFilters {
  /** A template's id; null: invites sent with the built-in texts; absent: every invite. */
  flowId?: string | null;
  channel?: FunnelChannel;
}

/** Invites at each stage, in the order of FUNNEL_STAGES. */
export type StageCounts = number[];

export interface FunnelRow<K> {
  key: K;
  counts: StageCounts;
}

export interface Funnel {
  counts: StageCounts;
  /** Each template with sends in the period, most sends first; `key` null is the built-in texts. */
  byFlow: (FunnelRow<string | null> & { name: string; deleted: boolean })[];
  /** An invite sent by email and SMS counts in both. */
  byChannel: FunnelRow<FunnelChannel>[];
  /** Median seconds from first send to completion, of the period's completed invites. */
  medianSecondsToComplete: number | null;
}

const SLICE_MS = 7 * 24 * 60 * 60 * 1000;

/** The middle value, or the mean of the middle two; null for none. */
function medianOf(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? upper) + upper) / 2;
}

/** Stopped-at counts (stage 0..5) made cumulative: a stage counts everything at it or past it. */
function cumulative(stopped: number[]): StageCounts {
  const out = FUNNEL_STAGES.map(() => 0);
  for (let stage = FUNNEL_STAGES.length - 1; stage >= 0; stage--) {
    out[stage] = (stopped[stage] ?? 0) + (out[stage + 1] ?? 0);
  }
  return out;
}

/** Where a group of invites stopped, overall and on each channel they were sent through. */
interface Group {
  flowId: string | null;
  n: number;
  /** Stage index (0 sent .. 5 completed) over every message. */
  stage: number;
  /** Stage index counting only that channel's messages; absent when none went that way. */
  channels: Partial<Record<FunnelChannel, number>>;
}

/** A channel's furthest message (1 sent, 2 delivered, 3 opened; 0 none) as a stage index. */
const messageStage = (reached: number) => Math.max(reached - 1, 0);

function groupOf(row: {
  flow_id: string | null;
  progress: number | string;
  messages: number | string;
  n: number | string;
}): Group {
  const progress = Number(row.progress);
  const messages = Number(row.messages);
  const reached = { email: messages % repo.MESSAGES_BASE, sms: Math.floor(messages / repo.MESSAGES_BASE) };
  const channels: Group['channels'] = {};
  for (const c of FUNNEL_CHANNELS) {
    if (reached[c] > 0) channels[c] = Math.max(progress, messageStage(reached[c]));
  }
  const stage = Math.max(progress, messageStage(Math.max(reached.email, reached.sms)));
  return { flowId: row.flow_id, n: Number(row.n), stage, channels };
}

/** The groups' invites by where they stopped; with a channel, only those sent that way, by that channel's messages. */
function stoppedAt(groups: Group[], channel?: FunnelChannel): number[] {
  const stopped = FUNNEL_STAGES.map(() => 0);
  for (const g of groups) {
    const stage = channel ? g.channels[channel] : g.stage;
    if (stage !== undefined) stopped[stage] = (stopped[stage] ?? 0) + g.n;
  }
  return stopped;
}

/**
 * The client's "now" for a Console page: in sandbox mode a client's test clock may run ahead
 * of the server's, and its invites carry its time.
 */
export async function clientNow(deps: Pick<Deps, 'db' | 'clock' | 'config'>, clientId: string) {
  const offset = deps.config.SANDBOX ? await clockOffsetOf(deps.db, clientId) : 0;
  return new Date(deps.clock.real().getTime() + offset);
}

/** The funnel of the invites sent in the period: overall, per template and per channel, with the median time to completion. */
export async function readFunnel(
  deps: Pick<Deps, 'db'>,
  clientId: string,
  period: FunnelPeriod,
  filters: FunnelFilters,
): Promise<Funnel> {
  const scope: repo.FunnelScope = {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    ...(filters.flowId !== undefined ? { flowId: filters.flowId } : {}),
  };
  const channel = filters.channel;
  const flows = await repo.listFunnelFlows(deps.db, clientId);
  const groups: Group[] = [];
  const seconds: number[] = [];
  // A week at a time: SQLite answers on the event loop, so a long period read in one statement
  // would hold every other request up; each week's groups and times simply add up.
  for (let from = period.from.getTime(); from < period.to.getTime(); from += SLICE_MS) {
    const to = Math.min(from + SLICE_MS, period.to.getTime());
    const slice = { ...scope, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    for (const row of await repo.countFunnelGroups(deps.db, clientId, slice)) groups.push(groupOf(row));
    for (const s of await repo.listSecondsToComplete(deps.db, clientId, { ...slice, channel }))
      seconds.push(s);
  }
  const counts = cumulative(stoppedAt(groups, channel));

  const perFlow = new Map<string | null, Group[]>();
  for (const g of groups) {
    if (channel && g.channels[channel] === undefined) continue;
    perFlow.set(g.flowId, [...(perFlow.get(g.flowId) ?? []), g]);
  }
  const names = new Map(flows.map((f) => [f.id, f]));
  const byFlow = [...perFlow].map(([key, flowGroups]) => {
    const flow = key === null ? undefined : names.get(key);
    return {
      key,
      name: flow?.name ?? key ?? '',
      deleted: flow !== undefined && flow.deleted_at !== null,
      counts: cumulative(stoppedAt(flowGroups, channel)),
    };
  });
  byFlow.sort((a, b) => (b.counts[0] ?? 0) - (a.counts[0] ?? 0) || a.name.localeCompare(b.name));

  const channels = channel ? [channel] : FUNNEL_CHANNELS;
  return {
    counts,
    byFlow,
    byChannel: channels.map((key) => ({ key, counts: cumulative(stoppedAt(groups, key)) })),
    medianSecondsToComplete: medianOf(seconds),
  };
}

/** The templates a member may narrow the funnel to, deleted ones last. */
export async function listFunnelTemplates(deps: Pick<Deps, 'db'>, clientId: string) {
  const flows = await repo.listFunnelFlows(deps.db, clientId);
  return flows
    .map((f) => ({ id: f.id, name: f.name, deleted: f.deleted_at !== null }))
    .sort((a, b) => Number(a.deleted) - Number(b.deleted));
}
