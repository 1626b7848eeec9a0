import nodemailer from 'nodemailer';
import { renderEmail } from '../src/templates/render.ts';
import { percentile } from './lib.ts';
import { startSinkProcess } from './smtp-sink.ts';

export interface DeliveryRow {
  name: string;
  perSecond: number;
  p50: number | null;
  p99: number | null;
  sent: number;
}

/** A latency percentile in whole milliseconds, or null when nothing was measured. */
function latency(values: number[], p: number): number | null {
  return values.length === 0 ? null : Math.round(percentile(values, p));
}

/** nodemailer alone, pooled like the app's channel, sending invite-sized mail to the sink. */
export async function measureNodemailerCeiling(seconds: number, concurrency: number): Promise<DeliveryRow> {
  const sink = await startSinkProcess();
  const transport = nodemailer.createTransport(`smtp://127.0.0.1:${sink.port}?pool=true&ignoreTLS=true`);
  const mail = renderEmail({
    firstName: 'Bench',
    lastName: 'Mark',
    url: 'http://localhost/connect/x',
    override: null,
    template: null,
  });
  const latencies: number[] = [];
  let n = 0;
  let end = performance.now() + 2000;
  const loop = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const id = `ceiling-${n++}`;
      const sent = sink.arrival(id);
      await transport.sendMail({
        from: 'invitekit <invites@invitekit.localhost>',
        to: 'bench@example.com',
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: { 'X-Invitekit-Delivery': id },
      });
      latencies.push((await sent) - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  latencies.length = 0;
  const t0 = performance.now();
  end = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = (performance.now() - t0) / 1000;
  transport.close();
  await sink.close();
  return {
    name: 'ceiling: nodemailer alone → SMTP sink',
    perSecond: latencies.length / elapsed,
    p50: latency(latencies, 50),
    p99: latency(latencies, 99),
    sent: latencies.length,
  };
}

/**
 * The whole pipeline: POST /v2/invites (email only), the API's transaction, the queue, the
 * worker, nodemailer, the sink. Each of `concurrency` clients posts an invite and waits for
 * its email to reach the sink before posting the next, so the rate is what the pipeline
 * sustains end to end (a queue that only grows would not count) and the latency runs from
 * the POST to the acceptance.
 */
export async function measurePipeline(
  name: string,
  seconds: number,
  concurrency: number,
  start: (smtpPort: number) => Promise<{ base: string; auth: string; stop: () => Promise<void> }>,
): Promise<DeliveryRow> {
  const sink = await startSinkProcess();
  const app = await start(sink.port);
  const body = JSON.stringify({ first_name: 'Bench', last_name: 'Mark', email: 'bench@example.com' });
  const latencies: number[] = [];
  const post = async () => {
    const at = performance.now();
    const res = await fetch(`${app.base}/v2/invites`, {
      method: 'POST',
      headers: { authorization: app.auth, 'content-type': 'application/json' },
      body,
    });
    const invite = (await res.json()) as { deliveries?: { id: string }[] };
    const id = invite.deliveries?.[0]?.id;
    if (!id) throw new Error(`send failed: ${res.status} ${JSON.stringify(invite)}`);
    return (await sink.arrival(id)) - at;
  };
  // A short warm-up (JIT, the auth cache, SQLite pages), then the measured window.
  const warm = performance.now() + 2000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < warm) await post();
    }),
  );
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) latencies.push(await post());
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  await app.stop();
  await sink.close();
  return {
    name,
    perSecond: latencies.length / elapsed,
    p50: latency(latencies, 50),
    p99: latency(latencies, 99),
    sent: latencies.length,
  };
}
