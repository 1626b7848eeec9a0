import { describe, expect, it } from 'vitest';
import { type Actor, can, invitesVisibleTo, ROLE_RULES, ROLES, type Role } from '../../src/members/roles.ts';

const actor = (role: Role, groupIds: string[] = []): Actor => ({
  id: 'm-1',
  email: 'Lena@Acme.example',
  role,
  groupIds,
});

describe('the role table', () => {
  it('gives each role its share, as the hosted Console does', () => {
    const table = Object.fromEntries(
      ROLES.map((role) => {
        const { invites: _invites, ...permissions } = ROLE_RULES[role];
        return [role, Object.keys(permissions).filter((p) => can({ role }, p as never))];
      }),
    );
    expect(table).toEqual({
      // Everything, members and groups included.
      admin: [
        'canManageMembers',
        'canManageKeys',
        'canEditFlows',
        'canManageWebhooks',
        'canSend',
        'canSeeDashboard',
        'seesPersonalData',
      ],
      // Everything but members and groups.
      full: [
        'canManageKeys',
        'canEditFlows',
        'canManageWebhooks',
        'canSend',
        'canSeeDashboard',
        'seesPersonalData',
      ],
      // Send; no keys, no flows editing, no webhooks.
      operations: ['canSend', 'seesPersonalData'],
      operations_limited: ['canSend', 'seesPersonalData'],
      // Keys, webhooks, flows, dashboards; invites without personal data.
      developer: ['canManageKeys', 'canEditFlows', 'canManageWebhooks', 'canSeeDashboard'],
    });
  });

  it('lets admin, full and developer see every invite, developer without personal data', () => {
    for (const role of ['admin', 'full', 'developer'] as const) {
      expect(invitesVisibleTo(actor(role, ['g-1']))).toEqual({
        only: null,
        personalData: role !== 'developer',
      });
    }
  });

  it('shows operations the invites of their groups, theirs and those they were copied on; all without a group', () => {
    expect(invitesVisibleTo(actor('operations'))).toEqual({ only: null, personalData: true });
    expect(invitesVisibleTo(actor('operations', ['g-1', 'g-2']))).toEqual({
      only: { groupIds: ['g-1', 'g-2'], sentBy: 'm-1', replyTo: 'lena@acme.example' },
      personalData: true,
    });
  });

  it('shows operations (limited) only what they sent or were copied on, whatever their groups', () => {
    for (const groups of [[], ['g-1']]) {
      expect(invitesVisibleTo(actor('operations_limited', groups))).toEqual({
        only: { groupIds: [], sentBy: 'm-1', replyTo: 'lena@acme.example' },
        personalData: true,
      });
    }
  });
});
