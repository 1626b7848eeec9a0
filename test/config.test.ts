import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, sqlitePath } from '../src/config.ts';

function problemsOf(
  env: Record<string, string>,
  overrides: Record<string, string | undefined> = {},
): string[] {
  try {
    loadConfig(env, overrides);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has working defaults with an empty environment', () => {
    expect(loadConfig({})).toMatchObject({
      PORT: 8080,
      HOST: '0.0.0.0',
      DATABASE_URL: 'sqlite:./data/invitekit.db',
      PUBLIC_URL: 'http://localhost:8080',
      LOG_LEVEL: 'info',
      AUTH_CACHE_TTL_SECONDS: 30,
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', PUBLIC_URL: '' }).PORT).toBe(8080);
  });

  it('derives PUBLIC_URL from PORT and drops a trailing slash from a given one', () => {
    expect(loadConfig({ PORT: '3000' }).PUBLIC_URL).toBe('http://localhost:3000');
    expect(loadConfig({ PUBLIC_URL: 'https://invites.example.com/base/' }).PUBLIC_URL).toBe(
      'https://invites.example.com/base',
    );
  });

  it('reads integers as numbers and the rest as given', () => {
    const cfg = loadConfig({
      PORT: '0',
      AUTH_CACHE_TTL_SECONDS: '0',
      LOG_LEVEL: 'silent',
      DATABASE_URL: 'sqlite::memory:',
      USER_TOKEN_SECRET: 'x'.repeat(32),
      INVITEKIT_API_KEY_ID: 'dev',
      INVITEKIT_API_KEY_SECRET: 's'.repeat(16),
    });
    expect(cfg).toMatchObject({ PORT: 0, AUTH_CACHE_TTL_SECONDS: 0, LOG_LEVEL: 'silent' });
    expect(sqlitePath(cfg.DATABASE_URL)).toBe(':memory:');
    expect(sqlitePath('sqlite:///var/lib/x.db')).toBe('/var/lib/x.db');
    expect(Object.isFrozen(cfg)).toBe(true);
  });

  it('lets flags win over the environment', () => {
    const env = { PORT: '1000', DATABASE_URL: 'sqlite:env.db', LOG_LEVEL: 'debug' };
    const cfg = loadConfig(env, { PORT: '2000', DATABASE_URL: 'sqlite:flag.db', LOG_LEVEL: undefined });
    expect(cfg).toMatchObject({
      PORT: 2000,
      DATABASE_URL: 'sqlite:flag.db',
      LOG_LEVEL: 'debug',
      PUBLIC_URL: 'http://localhost:2000',
    });
    // A bad flag is reported even when the environment is fine.
    expect(problemsOf(env, { PORT: 'abc' }).join('\n')).toMatch(/PORT/);
  });

  it('names every bad key at once', () => {
    const problems = problemsOf({
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://x',
      PUBLIC_URL: 'ftp://x',
      AUTH_CACHE_TTL_SECONDS: '-5',
      USER_TOKEN_SECRET: 'short',
    });
    for (const key of [
      'PORT',
      'LOG_LEVEL',
      'DATABASE_URL',
      'PUBLIC_URL',
      'AUTH_CACHE_TTL_SECONDS',
      'USER_TOKEN_SECRET',
    ]) {
      expect(
        problems.filter((p) => p.startsWith(`${key}:`)),
        key,
      ).toHaveLength(1);
    }
    expect(problems).toHaveLength(6);
  });

  it('rejects out-of-range and non-integer ports', () => {
    for (const PORT of ['-1', '65536', '80.5', '1e3', '8080abc']) {
      expect(problemsOf({ PORT }), PORT).toEqual([expect.stringMatching(/^PORT: /)]);
    }
  });

  it('wants the API key id and secret together, and a long enough secret', () => {
    expect(problemsOf({ INVITEKIT_API_KEY_ID: 'dev' })).toEqual([
      expect.stringMatching(/INVITEKIT_API_KEY_ID and INVITEKIT_API_KEY_SECRET/),
    ]);
    expect(problemsOf({ INVITEKIT_API_KEY_SECRET: 's'.repeat(16) })).toHaveLength(1);
    expect(problemsOf({ INVITEKIT_API_KEY_ID: 'dev', INVITEKIT_API_KEY_SECRET: 'short' })).toEqual([
      expect.stringMatching(/^INVITEKIT_API_KEY_SECRET: /),
    ]);
  });

  it('says what is wrong in the error message', () => {
    expect(() => loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud' })).toThrow(/PORT[\s\S]*LOG_LEVEL/);
  });
});
