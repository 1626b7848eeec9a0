import { Value } from '@sinclair/typebox/value';
import type { JobsTable } from '../db/tables.ts';
import { type ClaimedJob, JOB_KIND_NAMES, type JobKind, jobType } from './jobs.ts';

export const isJobKind = (kind: string): kind is JobKind => (JOB_KIND_NAMES as string[]).includes(kind);

/** A claimed row as its kind declares it, or why it cannot run. */
export function readJob(row: JobsTable): { job: ClaimedJob; error?: never } | { job?: never; error: string } {
  const kind = row.kind;
  if (!isJobKind(kind)) return { error: `unknown job kind ${kind}` };
  let payload: unknown;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    return { error: `invalid payload for ${kind}: not JSON` };
  }
  const schema = jobType(kind).payload;
  if (!Value.Check(schema, payload)) {
    const first = Value.Errors(schema, payload).First();
    return { error: `invalid payload for ${kind}: ${first ? `${first.path || '/'} ${first.message}` : ''}` };
  }
  return { job: { ...row, kind, payload } as ClaimedJob };
}
