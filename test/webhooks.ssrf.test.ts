import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { guardedLookup, isBlockedAddress } from '../src/webhooks/ssrf.ts';
import { type Receiver, webhookReceiver } from './helpers/webhooks.ts';

let receiver: Receiver;
beforeAll(async () => {
  receiver = await webhookReceiver();
});
afterAll(() => receiver?.close());

describe('isBlockedAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.20.30.40',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.10',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.254',
    '0.0.0.0',
    '224.0.0.251',
    '255.255.255.255',
    '::',
    '::1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1%eth0',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
    '2002:c0a8:0101::1',
    'not an address',
  ])('refuses %s', (ip) => {
    expect(isBlockedAddress(ip)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '93.184.215.14',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
  ])('allows %s', (ip) => {
    expect(isBlockedAddress(ip)).toBe(false);
  });
});

describe('guardedLookup', () => {
  it('fails a connection to a name that resolves to loopback, before anything is sent', async () => {
    const err = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const req = request(`http://localhost:${receiver.port}/guarded`, {
        method: 'POST',
        lookup: guardedLookup as never,
      });
      req.on('error', resolve);
      req.on('response', () => reject(new Error('connected')));
      req.end('{}');
    });
    expect(err.code).toBe('EWEBHOOKBLOCKED');
    expect(err.message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), which is a private/);
    expect(receiver.hits('/guarded')).toEqual([]);
  });
});

describe('WEBHOOKS_ALLOW_PRIVATE', () => {
  it('is off unless set to true, and refuses anything but a boolean', () => {
    expect(loadConfig({}).WEBHOOKS_ALLOW_PRIVATE).toBe(false);
    expect(loadConfig({ WEBHOOKS_ALLOW_PRIVATE: 'true' }).WEBHOOKS_ALLOW_PRIVATE).toBe(true);
    expect(loadConfig({ WEBHOOKS_ALLOW_PRIVATE: 'FALSE' }).WEBHOOKS_ALLOW_PRIVATE).toBe(false);
    expect(loadConfig({}).WEBHOOK_TIMEOUT_SECONDS).toBe(10);
    expect(() => loadConfig({ WEBHOOKS_ALLOW_PRIVATE: 'yes' })).toThrow(ConfigError);
    try {
      loadConfig({ WEBHOOKS_ALLOW_PRIVATE: 'yes' });
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        'WEBHOOKS_ALLOW_PRIVATE: expected true or false (got "yes")',
      ]);
    }
  });
});
