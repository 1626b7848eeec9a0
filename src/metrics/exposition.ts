import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { AppError } from '../errors.ts';

let processRegistry: Registry | null = null;

/**
 * What the process itself measures (memory, CPU, event-loop lag, handles), registered once
 * per process however many apps or workers it holds: each of those keeps its own registry.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Starts the process's own measures, so event-loop lag is sampled before the first scrape. */
export function startProcessMetrics(): void {
  processMetrics();
}

/** The Prometheus text of `registry` with the process's own measures. */
export async function exposition(registry: Registry): Promise<{ contentType: string; text: string }> {
  const merged = Registry.merge([processMetrics(), registry]);
  return { contentType: merged.contentType, text: await merged.metrics() };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Checks `Authorization: Bearer <METRICS_TOKEN>` when a token is set (open otherwise), in
 * constant time: digests of equal length are compared, so neither the token's length nor
 * its first wrong byte shows in the time taken.
 */
export function checkMetricsToken(token: string | undefined, authorization: string | undefined): void {
  if (token === undefined) return;
  const challenge = { 'WWW-Authenticate': 'Bearer realm="metrics"' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const given = match?.[1];
  if (given === undefined) {
    throw AppError.detail('unauthorized', 'Authentication credentials were not provided.', challenge);
  }
  if (!timingSafeEqual(digest(given), digest(token))) {
    throw AppError.detail('unauthorized', 'Invalid token.', challenge);
  }
}
