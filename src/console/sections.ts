import { can, type Permission } from '../members/roles.ts';
import type { SignedIn } from '../members/sessions.service.ts';

/** A page of the navigation. */
export interface Section {
  label: string;
  path: string;
  /** What the member's role must allow; none: every member. */
  permission?: Permission;
  /** Shown only in sandbox mode. */
  sandboxOnly?: boolean;
}

/** The navigation, in order. A new page is one more entry (see README.md). */
export const SECTIONS: readonly Section[] = [
  { label: 'Invites', path: '/console' },
  { label: 'Send invite', path: '/console/send', permission: 'canSend' },
  { label: 'Bulk send', path: '/console/bulk', permission: 'canSend' },
  { label: 'Templates', path: '/console/templates', permission: 'canEditFlows' },
  { label: 'Settings', path: '/console/settings', permission: 'canEditFlows' },
  { label: 'Dashboard', path: '/console/dashboard', permission: 'canSeeDashboard' },
  { label: 'Team', path: '/console/team', permission: 'canManageMembers' },
  { label: 'API keys', path: '/console/keys', permission: 'canManageKeys' },
  { label: 'Webhooks', path: '/console/webhooks', permission: 'canManageWebhooks' },
  {
    label: 'Outbox',
    path: '/console/outbox',
    permission: 'seesPersonalData',
    sandboxOnly: true,
  },
];

/** Whether the member may open the section (in this mode). */
export function mayOpen(member: SignedIn, section: Section, sandbox: boolean): boolean {
  if (section.sandboxOnly && !sandbox) return false;
  return section.permission === undefined || can(member, section.permission);
}
