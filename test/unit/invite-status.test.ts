import { describe, expect, it } from 'vitest';
import { type ForwardStatus, movableFrom, PROGRESS, REVOCABLE } from '../../src/invites/invite-status.ts';

const FORWARD: ForwardStatus[] = ['initiated', 'attempted', 'completed'];

describe('invite status machine', () => {
  it("runs the recipient's progress in order", () => {
    expect(PROGRESS).toEqual(['sent', 'initiated', 'attempted', 'completed']);
  });

  it('moves an invite forward from every earlier step', () => {
    expect(movableFrom('initiated')).toEqual(['sent']);
    expect(movableFrom('attempted')).toEqual(['sent', 'initiated']);
    expect(movableFrom('completed')).toEqual(['sent', 'initiated', 'attempted']);
  });

  it('never moves an invite back, or to the status it already has', () => {
    for (const to of FORWARD) {
      const from = movableFrom(to);
      expect(from).not.toContain(to);
      for (const later of PROGRESS.slice(PROGRESS.indexOf(to) + 1)) expect(from).not.toContain(later);
    }
  });

  it('never moves a revoked invite', () => {
    for (const to of FORWARD) expect(movableFrom(to) as string[]).not.toContain('revoked');
  });

  it('revokes an invite at any step before completion, and not a completed one', () => {
    expect([...REVOCABLE]).toEqual(['sent', 'initiated', 'attempted']);
    expect(REVOCABLE).not.toContain('completed');
    expect(REVOCABLE as readonly string[]).not.toContain('revoked');
  });
});
