import { FUNNEL_STAGES, type Funnel, type StageCounts } from '../../invites/invite-funnel.service.ts';
import type { DashboardQuery } from '../dashboard.query.ts';
import type { FormErrors } from '../forms.ts';
import type { Shell } from '../shell.ts';
import { ErrorSummary, FieldErrorList, fieldOf } from './form.tsx';
import { Page } from './layout.tsx';

interface Template {
  id: string;
  name: string;
  deleted: boolean;
}

interface DashboardProps {
  shell: Shell;
  query: DashboardQuery;
  templates: Template[];
  /** The period as shown: first and last day (UTC). */
  days?: { from: string; to: string };
  funnel?: Funnel;
  errors?: FormErrors;
}

const STAGE_LABELS: Record<(typeof FUNNEL_STAGES)[number], string> = {
  sent: 'Sent',
  delivered: 'Delivered',
  opened: 'Opened',
  initiated: 'Initiated',
  attempted: 'Attempted',
  completed: 'Completed',
};

const PERIOD_LABELS = [
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
  ['90d', 'Last 90 days'],
  ['custom', 'Custom dates'],
] as const;

const FIELD_LABELS = { from: 'From', to: 'To' };

const number = new Intl.NumberFormat('en-US');
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

/** `part` of `whole` as a percentage; a dash when there is no whole to take it from. */
const rate = (part: number, whole: number) => (whole > 0 ? percent.format(part / whole) : '–');

const plural = (n: number, one: string, many: string) => `${number.format(n)} ${n === 1 ? one : many}`;

/** A duration as a person says it: "45 min", "2 h 14 min", "3 days 4 h". */
function durationText(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest && days < 7 ? `${plural(days, 'day', 'days')} ${rest} h` : plural(days, 'day', 'days');
}

const templateName = (t: { name: string; deleted: boolean }) => (t.deleted ? `${t.name} (deleted)` : t.name);

/** The funnel of the invites sent in a period, per template and per channel, with the time to completion. */
export function DashboardPage({ shell, query, templates, days, funnel, errors }: DashboardProps) {
  return (
    <Page shell={shell} title="Dashboard">
      <h1>Dashboard</h1>
      <ErrorSummary errors={errors} labels={FIELD_LABELS} />
      <PeriodForm query={query} templates={templates} errors={errors} />
      {funnel && days && <Results funnel={funnel} days={days} />}
    </Page>
  );
}

function PeriodForm({ query, templates, errors }: Pick<DashboardProps, 'query' | 'templates' | 'errors'>) {
  return (
    <form method="get" action="/console/dashboard" class="funnel-form" aria-label="Period and filters">
      <fieldset class="funnel-period">
        <legend>Period</legend>
        <div class="funnel-presets">
          {PERIOD_LABELS.map(([value, label]) => (
            <div class="funnel-choice" key={value}>
              <input
                type="radio"
                id={`period-${value}`}
                name="period"
                value={value}
                checked={query.period === value}
              />
              <label for={`period-${value}`}>{label}</label>
            </div>
          ))}
        </div>
        <p class="hint" id="period-dates-hint">
          From and To apply with Custom dates; days run midnight to midnight UTC.
        </p>
        <div class="funnel-dates">
          <DateField name="from" label="From" value={query.from} errors={errors} />
          <DateField name="to" label="To" value={query.to} errors={errors} />
        </div>
      </fieldset>
      <div class="funnel-filters">
        <div class="field">
          <label for="filter-flow">Template</label>
          <select id="filter-flow" name="flow">
            <option value="">Any template</option>
            <option value="none" selected={query.flow === 'none'}>
              No template (built-in texts)
            </option>
            {templates.map((t) => (
              <option key={t.id} value={t.id} selected={t.id === query.flow}>
                {templateName(t)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-channel">Channel</label>
          <select id="filter-channel" name="channel">
            <option value="">Email and SMS</option>
            <option value="email" selected={query.channel === 'email'}>
              Email
            </option>
            <option value="sms" selected={query.channel === 'sms'}>
              SMS
            </option>
          </select>
        </div>
        <div class="funnel-submit">
          <button type="submit" class="btn">
            Show
          </button>
        </div>
      </div>
    </form>
  );
}

function DateField({
  name,
  label,
  value,
  errors,
}: {
  name: string;
  label: string;
  value: string;
  errors?: FormErrors;
}) {
  const { id, messages, errorId } = fieldOf(name, errors);
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="date"
        value={value}
        aria-invalid={errorId ? 'true' : undefined}
        aria-describedby={['period-dates-hint', errorId].filter(Boolean).join(' ')}
      />
      <FieldErrorList id={errorId} messages={messages} />
    </div>
  );
}

function Results({ funnel, days }: { funnel: Funnel; days: { from: string; to: string } }) {
  const sent = funnel.counts[0] ?? 0;
  const completed = funnel.counts[FUNNEL_STAGES.length - 1] ?? 0;
  const span = days.from === days.to ? days.from : `${days.from} to ${days.to}`;
  return (
    <section aria-labelledby="funnel-heading">
      <h2 id="funnel-heading">Funnel</h2>
      <p class="funnel-summary">
        {plural(sent, 'invite', 'invites')} first sent {days.from === days.to ? 'on' : 'from'} {span} (UTC).
      </p>
      {sent === 0 ? (
        <p class="empty">No invites were sent in this period.</p>
      ) : (
        <>
          <FunnelChart counts={funnel.counts} />
          <p class="hint funnel-note">
            Each stage counts the invites that reached it or a later one, so an invite completed without a
            recorded open counts as delivered and opened.
          </p>
          <dl class="funnel-median">
            <dt>Median time to completion</dt>
            <dd>
              {funnel.medianSecondsToComplete === null
                ? 'None completed yet'
                : durationText(funnel.medianSecondsToComplete)}{' '}
              <span class="muted">
                (from first send, of {plural(completed, 'completed invite', 'completed invites')})
              </span>
            </dd>
          </dl>
          <StageTable counts={funnel.counts} />
          <h2 id="by-template">By template</h2>
          <Breakdown
            labelledBy="by-template"
            column="Template"
            rows={funnel.byFlow.map((f) => ({
              key: f.key ?? 'none',
              label: f.key === null ? 'No template (built-in texts)' : templateName(f),
              counts: f.counts,
            }))}
          />
          <h2 id="by-channel">By channel</h2>
          <p class="hint">
            An invite sent by email and SMS counts in both; its delivered and opened stages count that
            channel's messages.
          </p>
          <Breakdown
            labelledBy="by-channel"
            column="Channel"
            rows={funnel.byChannel.map((c) => ({
              key: c.key,
              label: c.key === 'sms' ? 'SMS' : 'Email',
              counts: c.counts,
            }))}
          />
        </>
      )}
    </section>
  );
}

const ROW_HEIGHT = 52;
const BAR_HEIGHT = 18;

/**
 * Horizontal bars, one per stage, as wide as their share of the invites sent. Sized in CSS
 * pixels with percentage widths, so the text keeps its size on a phone and on a wide screen.
 */
function FunnelChart({ counts }: { counts: StageCounts }) {
  const sent = counts[0] ?? 0;
  const described = FUNNEL_STAGES.map(
    (s, i) => `${STAGE_LABELS[s]} ${number.format(counts[i] ?? 0)} (${rate(counts[i] ?? 0, sent)})`,
  ).join(', ');
  return (
    <svg
      class="funnel-chart"
      role="img"
      aria-labelledby="funnel-chart-title funnel-chart-desc"
      width="100%"
      height={FUNNEL_STAGES.length * ROW_HEIGHT}
    >
      <title id="funnel-chart-title">Invites at each stage of the funnel</title>
      <desc id="funnel-chart-desc">{described}</desc>
      {FUNNEL_STAGES.map((stage, i) => {
        const n = counts[i] ?? 0;
        const top = i * ROW_HEIGHT;
        const width = sent > 0 ? `${((100 * n) / sent).toFixed(2)}%` : '0';
        return (
          <g key={stage} class={`funnel-stage funnel-${stage}`}>
            <text x="0" y={top + 18} class="funnel-label">
              {STAGE_LABELS[stage]}
            </text>
            <text x="100%" y={top + 18} class="funnel-value">
              {number.format(n)} · {rate(n, sent)}
            </text>
            <rect class="funnel-track" x="0" y={top + 26} width="100%" height={BAR_HEIGHT} rx="4" />
            <rect class="funnel-bar" x="0" y={top + 26} width={width} height={BAR_HEIGHT} rx="4" />
          </g>
        );
      })}
    </svg>
  );
}

function StageTable({ counts }: { counts: StageCounts }) {
  const sent = counts[0] ?? 0;
  return (
    <table class="list funnel-table">
      <caption>Invites at each stage, with the conversion from the stage before and from sent</caption>
      <thead>
        <tr>
          <th scope="col">Stage</th>
          <th scope="col">Invites</th>
          <th scope="col">From previous stage</th>
          <th scope="col">From sent</th>
        </tr>
      </thead>
      <tbody>
        {FUNNEL_STAGES.map((stage, i) => {
          const n = counts[i] ?? 0;
          return (
            <tr key={stage}>
              <th scope="row" data-label="Stage">
                {STAGE_LABELS[stage]}
              </th>
              <td data-label="Invites">{number.format(n)}</td>
              <td data-label="From previous stage">{i === 0 ? '–' : rate(n, counts[i - 1] ?? 0)}</td>
              <td data-label="From sent">{rate(n, sent)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

interface BreakdownRow {
  key: string;
  label: string;
  counts: StageCounts;
}

function Breakdown({
  labelledBy,
  column,
  rows,
}: {
  labelledBy: string;
  column: string;
  rows: BreakdownRow[];
}) {
  return (
    <table class="list funnel-table" aria-labelledby={labelledBy}>
      <thead>
        <tr>
          <th scope="col">{column}</th>
          {FUNNEL_STAGES.map((s) => (
            <th scope="col" key={s}>
              {STAGE_LABELS[s]}
            </th>
          ))}
          <th scope="col">Completed of sent</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row" data-label={column}>
              {r.label}
            </th>
            {FUNNEL_STAGES.map((s, i) => (
              <td key={s} data-label={STAGE_LABELS[s]}>
                {number.format(r.counts[i] ?? 0)}
              </td>
            ))}
            <td data-label="Completed of sent">
              {rate(r.counts[FUNNEL_STAGES.length - 1] ?? 0, r.counts[0] ?? 0)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
