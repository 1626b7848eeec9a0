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
  /** False while the page is not built: its path answers a "coming soon" page. */
  built: boolean;
}

/** The navigation, in order. A new page is one more entry (see README.md). */
export const SECTIONS: readonly Section[] = [
  { label: 'Invites', path: '/console', built: true },
  { label: 'Send invite', path: '/console/send', permission: 'canSend', built: true },
  { label: 'Bulk send', path: '/console/bulk', permission: 'canSend', built: true },
  { label: 'Templates', path: '/console/templates', permission: 'canEditFlows', built: true },
  { label: 'Settings', path: '/console/settings', permission: 'canEditFlows', built: true },
  { label: 'Dashboard', path: '/console/dashboard', permission: 'canSeeDashboard', built: false },
  { label: 'Team', path: '/console/team', permission: 'canManageMembers', built: false },
  { label: 'API keys', path: '/console/keys', permission: 'canManageKeys', built: false },
  { label: 'Webhooks', path: '/console/webhooks', permission: 'canManageWebhooks', built: false },
  {
    label: 'Outbox',
    path: '/console/outbox',
    permission: 'seesPersonalData',
    sandboxOnly: true,
    built: false,
  },
];

/** Whether the member may open the section (in this mode). */
export function mayOpen(member: SignedIn, section: Section, sandbox: boolean): boolean {
  if (section.sandboxOnly && !sandbox) return false;
  return section.permission === undefined || can(member, section.permission);
}
