import type { Deps } from '../deps.ts';

/**
 * Settings that are fine on a laptop and wrong on a server, each logged as a warning at
 * start (and returned): capture mode or the sandbox's test helpers under
 * NODE_ENV=production, and webhooks allowed to reach private addresses in any mode.
 */
export function checkProduction(
  deps: Pick<Deps, 'config' | 'log'>,
  env: Record<string, string | undefined> = process.env,
): string[] {
  const { config } = deps;
  const warnings: string[] = [];
  if (env.NODE_ENV === 'production') {
    if (!config.SMTP_URL) {
      warnings.push(
        'NODE_ENV=production but SMTP_URL is unset: email is captured in the outbox, not sent. Set SMTP_URL to send it.',
      );
    }
    if (config.SANDBOX) {
      warnings.push(
        'NODE_ENV=production with SANDBOX on: any API key can reset its client and move its clock under /v2/sandbox. Set SANDBOX=false.',
      );
    }
  }
  if (config.WEBHOOKS_ALLOW_PRIVATE) {
    warnings.push(
      "WEBHOOKS_ALLOW_PRIVATE=true: webhooks may reach private and loopback addresses, such as this server's database or a cloud metadata service. Unset it unless every webhook URL is trusted.",
    );
  }
  for (const warning of warnings) deps.log.warn({ check: 'production' }, warning);
  return warnings;
}
