/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4): every line must be
 * a HELP, a TYPE, another comment, or a sample of the family its TYPE announced; names, label
 * names and escapes must be valid; histograms must be cumulative and end in `+Inf` = `_count`.
 * Anything else throws, naming the line.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: string;
  help: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<string, string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/**
 * A sample value as Prometheus reads it (Go's ParseFloat): the special values in any case,
 * as prom-client writes NaN as `Nan`.
 */
function parseValue(text: string, line: string): number {
  const special = text.toLowerCase();
  if (special === '+inf' || special === 'inf') return Number.POSITIVE_INFINITY;
  if (special === '-inf') return Number.NEGATIVE_INFINITY;
  if (special === 'nan') return Number.NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`bad value in: ${line}`);
  return Number(text);
}

/** Reads `{a="x",b="y"}` from `text` at `start`; returns the labels and where they end. */
function parseLabels(text: string, start: number, line: string): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  let i = start + 1;
  for (;;) {
    if (text[i] === '}') return [labels, i + 1];
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`bad labels in: ${line}`);
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name) || name in labels) throw new Error(`bad label name "${name}" in: ${line}`);
    if (text[eq + 1] !== '"') throw new Error(`unquoted label value in: ${line}`);
    let value = '';
    let j = eq + 2;
    for (;;) {
      const c = text[j];
      if (c === undefined) throw new Error(`unterminated label value in: ${line}`);
      if (c === '"') break;
      if (c === '\\') {
        const next = text[j + 1];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new Error(`bad escape in: ${line}`);
        j += 2;
      } else {
        if (c === '\n') throw new Error(`raw newline in: ${line}`);
        value += c;
        j++;
      }
    }
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new Error(`bad label separator in: ${line}`);
  }
}

function checkHistogram(family: Family): void {
  const series = new Map<string, Sample[]>();
  for (const s of family.samples) {
    if (!s.name.endsWith('_bucket')) continue;
    const { le, ...rest } = s.labels;
    if (le === undefined) throw new Error(`${family.name}: bucket without le`);
    const key = JSON.stringify(rest);
    series.set(key, [...(series.get(key) ?? []), s]);
  }
  for (const [key, buckets] of series) {
    let last = Number.NEGATIVE_INFINITY;
    let lastCount = 0;
    for (const b of buckets) {
      const le = parseValue(String(b.labels.le), String(b.labels.le));
      if (le <= last || b.value < lastCount) throw new Error(`${family.name}${key}: buckets not cumulative`);
      last = le;
      lastCount = b.value;
    }
    if (last !== Number.POSITIVE_INFINITY) throw new Error(`${family.name}${key}: no +Inf bucket`);
    const count = family.samples.find(
      (s) => s.name === `${family.name}_count` && JSON.stringify(s.labels) === key,
    );
    if (count?.value !== lastCount) throw new Error(`${family.name}${key}: +Inf bucket is not _count`);
  }
}

/** Parses an exposition; throws on the first line that is not valid. */
export function parsePrometheus(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('exposition does not end with a newline');
  const families = new Map<string, Family>();
  let current = null as Family | null;
  const seen = new Set<string>();
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
    if (meta) {
      const [, kind, name = '', rest = ''] = meta;
      if (!METRIC_NAME.test(name)) throw new Error(`bad metric name in: ${line}`);
      let family = families.get(name);
      if (family && current?.name !== name) throw new Error(`family ${name} is not contiguous`);
      if (!family) {
        family = { name, type: 'untyped', help: '', samples: [] };
        families.set(name, family);
      }
      if (kind === 'TYPE') {
        if (!TYPES.has(rest) || family.samples.length > 0) throw new Error(`bad TYPE line: ${line}`);
        family.type = rest;
      } else family.help = rest;
      current = family;
      continue;
    }
    if (line.startsWith('#')) continue;
    const nameEnd = line.search(/[{ ]/);
    if (nameEnd <= 0) throw new Error(`bad sample: ${line}`);
    const name = line.slice(0, nameEnd);
    if (!METRIC_NAME.test(name)) throw new Error(`bad metric name in: ${line}`);
    let labels: Record<string, string> = {};
    let i = nameEnd;
    if (line[i] === '{') [labels, i] = parseLabels(line, i, line);
    if (line[i] !== ' ') throw new Error(`no space before the value in: ${line}`);
    const parts = line.slice(i + 1).split(' ');
    if (parts.length > 2 || (parts[1] !== undefined && !/^-?\d+$/.test(parts[1]))) {
      throw new Error(`bad value or timestamp in: ${line}`);
    }
    const value = parseValue(parts[0] ?? '', line);
    const family =
      current && SUFFIXES[current.type]?.some((suffix) => `${current?.name}${suffix}` === name)
        ? current
        : null;
    if (!family) throw new Error(`sample outside its family: ${line}`);
    const identity = `${name}${JSON.stringify(labels)}`;
    if (seen.has(identity)) throw new Error(`duplicate sample: ${line}`);
    seen.add(identity);
    family.samples.push({ name, labels, value });
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

/** The value of the one sample of `name` whose labels include `labels`, or 0 when none does. */
export function sampleValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number {
  const family =
    families.get(name) ??
    [...families.values()].find((f) => name.startsWith(f.name) && f.samples.some((s) => s.name === name));
  const matching = (family?.samples ?? []).filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (matching.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches several samples`);
  return matching[0]?.value ?? 0;
}
