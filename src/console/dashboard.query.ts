import {
  FUNNEL_CHANNELS,
  type FunnelChannel,
  type FunnelFilters,
  type FunnelPeriod,
} from '../invites/invite-funnel.service.ts';
import { dayStart } from '../lib/time.ts';
import type { FormErrors } from './forms.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The period choices, by the days they look back. */
export const PRESETS = { '7d': 7, '30d': 30, '90d': 90 } as const;
type Preset = keyof typeof PRESETS;
const DEFAULT_PRESET: Preset = '30d';

/** A custom period may span this many days at most, so one page reads a bounded share of invites. */
export const MAX_CUSTOM_DAYS = 366;

/** The dashboard's query string, as its form writes it. */
export interface DashboardQuery {
  period: Preset | 'custom';
  from: string;
  to: string;
  /** A template id, `none` (built-in texts), or blank for every template. */
  flow: string;
  channel: FunnelChannel | '';
}

export type DashboardRequest =
  | { ok: true; query: DashboardQuery; period: FunnelPeriod; filters: FunnelFilters }
  | { ok: false; query: DashboardQuery; errors: FormErrors };

const dateText = (d: Date) => d.toISOString().slice(0, 10);

function text(raw: Record<string, unknown>, key: string): string {
  const v = raw[key];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first.trim().slice(0, 64) : '';
}

/**
 * The period and filters a query string asks for. Presets look back from `now`; a custom period
 * runs from the start of its first day to the end of its last (UTC). A custom period that cannot
 * be read is refused with errors beside its fields.
 */
export function dashboardRequestOf(rawQuery: unknown, now: Date): DashboardRequest {
  const raw = (rawQuery ?? {}) as Record<string, unknown>;
  const asked = text(raw, 'period');
  const channel = text(raw, 'channel');
  const query: DashboardQuery = {
    period:
      asked === 'custom' || Object.hasOwn(PRESETS, asked) ? (asked as Preset | 'custom') : DEFAULT_PRESET,
    from: text(raw, 'from'),
    to: text(raw, 'to'),
    flow: text(raw, 'flow'),
    channel: (FUNNEL_CHANNELS as readonly string[]).includes(channel) ? (channel as FunnelChannel) : '',
  };
  const filters: FunnelFilters = {};
  if (query.flow) filters.flowId = query.flow === 'none' ? null : query.flow;
  if (query.channel) filters.channel = query.channel;

  if (query.period !== 'custom') {
    const from = new Date(now.getTime() - PRESETS[query.period] * DAY_MS);
    // The form's dates show the preset's days, so switching to custom starts from them.
    return {
      ok: true,
      query: { ...query, from: dateText(from), to: dateText(now) },
      // The period's end is exclusive: one past now, so what was sent this very moment counts.
      period: { from, to: new Date(now.getTime() + 1) },
      filters,
    };
  }
  const errors: FormErrors = {};
  const from = dayStart(query.from);
  const to = dayStart(query.to);
  if (!from) errors.from = ['Enter a date as YYYY-MM-DD.'];
  if (!to) errors.to = ['Enter a date as YYYY-MM-DD.'];
  if (from && to) {
    const days = (to.getTime() - from.getTime()) / DAY_MS + 1;
    if (days < 1) errors.to = ['Enter a date on or after the start date.'];
    else if (days > MAX_CUSTOM_DAYS) errors.to = [`Choose a period of at most ${MAX_CUSTOM_DAYS} days.`];
  }
  if (!from || !to || Object.keys(errors).length > 0) return { ok: false, query, errors };
  return { ok: true, query, period: { from, to: new Date(to.getTime() + DAY_MS) }, filters };
}
