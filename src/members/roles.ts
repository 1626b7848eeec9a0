import type { MembersTable } from '../db/tables.ts';

export type Role = MembersTable['role'];

/** Every role, in the order the Console lists them (the most powerful first). */
export const ROLES = [
  'admin',
  'full',
  'operations',
  'operations_limited',
  'developer',
] as const satisfies readonly Role[];

/**
 * Which invites a role sees: `all` of its client's; `groups`: those of the member's groups (all
 * when the member is in none), those they sent and those they were Cc'd on; `own`: only those
 * they sent or were Cc'd on.
 */
type InviteScope = 'all' | 'groups' | 'own';

export interface RoleRules {
  /** Team: members and groups. */
  canManageMembers: boolean;
  /** API keys: create, list, revoke. */
  canManageKeys: boolean;
  /** Templates (flows) and the invite settings. */
  canEditFlows: boolean;
  canManageWebhooks: boolean;
  /** Send one invite or many, re-send and revoke the invites the member sees. */
  canSend: boolean;
  canSeeDashboard: boolean;
  /** Recipients' names, addresses and numbers; without it an invite shows only its facts. */
  seesPersonalData: boolean;
  invites: InviteScope;
}

/** What each role may do: the one table every page and action asks. */
export const ROLE_RULES: Record<Role, RoleRules> = {
  admin: {
    canManageMembers: true,
    canManageKeys: true,
    canEditFlows: true,
    canManageWebhooks: true,
    canSend: true,
    canSeeDashboard: true,
    seesPersonalData: true,
    invites: 'all',
  },
  full: {
    canManageMembers: false,
    canManageKeys: true,
    canEditFlows: true,
    canManageWebhooks: true,
    canSend: true,
    canSeeDashboard: true,
    seesPersonalData: true,
    invites: 'all',
  },
  operations: {
    canManageMembers: false,
    canManageKeys: false,
    canEditFlows: false,
    canManageWebhooks: false,
    canSend: true,
    canSeeDashboard: false,
    seesPersonalData: true,
    invites: 'groups',
  },
  operations_limited: {
    canManageMembers: false,
    canManageKeys: false,
    canEditFlows: false,
    canManageWebhooks: false,
    canSend: true,
    canSeeDashboard: false,
    seesPersonalData: true,
    invites: 'own',
  },
  developer: {
    canManageMembers: false,
    canManageKeys: true,
    canEditFlows: true,
    canManageWebhooks: true,
    canSend: false,
    canSeeDashboard: true,
    seesPersonalData: false,
    invites: 'all',
  },
};

/** How the Console names each role. */
export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  full: 'Full access',
  operations: 'Operations',
  operations_limited: 'Operations (limited)',
  developer: 'Developer',
};

export type Permission = {
  [K in keyof RoleRules]: RoleRules[K] extends boolean ? K : never;
}[keyof RoleRules];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Who is asking, as far as the rules need to know. */
export interface Actor {
  id: string;
  email: string;
  role: Role;
  groupIds: readonly string[];
}

export function can(actor: Pick<Actor, 'role'>, permission: Permission): boolean {
  return ROLE_RULES[actor.role][permission];
}

/**
 * The invites a member may see, as data a list query can apply: `only` null is every invite of
 * the client; otherwise an invite is visible when it matches any of `only`'s conditions.
 */
export interface InviteVisibility {
  only: null | {
    /** Invites carrying one of these `group_id`s. */
    groupIds: string[];
    /** Invites this member sent. */
    sentBy: string;
    /** Invites that notify this address (`reply_to`): the member was Cc'd. */
    replyTo: string;
  };
  personalData: boolean;
}

export function invitesVisibleTo(actor: Actor): InviteVisibility {
  const rules = ROLE_RULES[actor.role];
  const personalData = rules.seesPersonalData;
  const groupIds = rules.invites === 'groups' ? [...actor.groupIds] : [];
  if (rules.invites === 'all' || (rules.invites === 'groups' && groupIds.length === 0)) {
    return { only: null, personalData };
  }
  return { only: { groupIds, sentBy: actor.id, replyTo: actor.email.toLowerCase() }, personalData };
}
