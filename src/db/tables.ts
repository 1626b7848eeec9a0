/**
 * Row types of the database. Timestamps are ISO 8601 strings (lexically ordered), JSON
 * columns are text. Every tenant table leads its keys with client_id.
 */
import type { CapturedMessage } from '../channels/capture.ts';

export interface ClientsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  client_id: string;
  name: string;
  secret_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface UsersTable {
  client_id: string;
  id: string;
  external_id: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone_number: string | null;
  created_at: string;
  updated_at: string;
}

export interface InviteTemplatesTable {
  client_id: string;
  id: string;
  /** The template's fields as sent (JSON). */
  data: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface InvitesTable {
  client_id: string;
  id: string;
  user_id: string;
  first_name: string;
  last_name: string;
  email: string | null;
  phone_number: string | null;
  phone_e164: string | null;
  status: string;
  group_id: string | null;
  flow_id: string | null;
  flow_items: string;
  reply_to: string;
  external_id: string | null;
  dds_config: string | null;
  override_invite_template: string | null;
  invite_template_id: string | null;
  /** The Email/SMS template that renders the invite (its own `flow_id`, the default, or the only one). */
  rendered_flow_id: string | null;
  /** With expiry on: when the invite's URL stops working (a re-send moves it). */
  expires_at: string | null;
  /** When the invite expired; null while it has not. */
  expired_at: string | null;
  /** Reminders sent since the invite was last sent; a re-send starts again from 0. */
  reminder_count: number;
  /** The Console member who sent it; null for API sends. */
  sent_by_member_id?: string | null;
  created_at: string;
  updated_at: string;
  invited_at: string;
  revoked_at: string | null;
}

export interface FlowsTable {
  client_id: string;
  /** 8 upper-case letters and digits, unique across clients (a shareable URL names it alone). */
  id: string;
  type: 'email_sms_template' | 'shareable_url';
  name: string;
  language: 'en' | 'es';
  /** JSON: the override_invite_template fields (brand, email, sms_text, landing_page, success_page) and flow_items. */
  template: string;
  /** JSON, shareable_url flows only: `active`, `notify_emails`, `allow_email_override`. */
  shareable: string | null;
  created_at: string;
  updated_at: string;
  /** Deleted flows stay, so the invites they rendered keep their pages and re-sends. */
  deleted_at: string | null;
}

export interface InviteSettingsTable {
  client_id: string;
  /** JSON: the settings the client changed; absent keys take their defaults. */
  data: string;
  updated_at: string;
}

export interface InviteReplyToTable {
  client_id: string;
  email: string;
  created_at: string;
  invite_id: string;
}

export const DELIVERY_KINDS = ['invite', 'resend', 'reminder'] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

export interface DeliveriesTable {
  client_id: string;
  id: string;
  invite_id: string;
  method: 'email' | 'sms';
  status: 'sent' | 'delivered' | 'undelivered' | 'opened';
  /** What the message was: the first send, a re-send, or a reminder. */
  kind: DeliveryKind;
  /** Email address or E.164 number the message went to. */
  recipient: string;
  status_detail: string | null;
  created_at: string;
  sent_at: string;
  updated_at: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  provider_message_id: string | null;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'dead' | 'cancelled';

/** Jobs of one lane never wait for another's: messages to recipients, and webhooks. */
export type JobLane = 'messages' | 'webhooks';

export interface JobsTable {
  client_id: string;
  id: string;
  kind: string;
  lane: JobLane;
  invite_id: string | null;
  delivery_id: string | null;
  payload: string;
  status: JobStatus;
  attempts: number;
  run_at: string;
  locked_until: string | null;
  locked_by: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface JobAttemptsTable {
  client_id: string;
  id: string;
  job_id: string;
  delivery_id: string | null;
  attempt: number;
  /** sent | retry | failed | cancelled | deferred (a defer is not counted as an attempt) */
  outcome: string;
  provider_response: string | null;
  error: string | null;
  /** JSON: channel facts such as SMS segments and encoding. */
  detail: string | null;
  started_at: string;
  duration_ms: number;
}

export interface SuppressionsTable {
  client_id: string;
  channel: 'email' | 'sms';
  address: string;
  reason: string;
  created_at: string;
}

export interface SenderPacingTable {
  sender: string;
  /** Epoch milliseconds, so the slot can be advanced in one portable statement. */
  next_at_ms: number;
}

/** What the capture channels keep, as they describe it. */
export type OutboxMessagesTable = CapturedMessage;

export type AccountStatus = 'connecting' | 'connected' | 'error';

export interface AccountsTable {
  client_id: string;
  id: string;
  user_id: string;
  /** The invite the account was connected through; null for embedded Link. */
  invite_id: string | null;
  item_id: string;
  status: AccountStatus;
  /** Why the last attempt failed (`invalid_credentials`), while status is `error`. */
  error_code: string | null;
  /** The sandbox username that passed, which decides the verification code expected. */
  sandbox_login: string | null;
  created_at: string;
  updated_at: string;
}

export interface InviteEventsTable {
  client_id: string;
  id: string;
  invite_id: string;
  /** `invite.<status>`, `delivery.<status>`, `account.connected`, ... */
  type: string;
  /** JSON object. */
  data: string;
  created_at: string;
}

export interface DocumentsTable {
  client_id: string;
  id: string;
  user_id: string;
  invite_id: string | null;
  /** The id the upload form was rendered with, so a repeated post stores the file once. */
  submission_id: string;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  content: Buffer;
  created_at: string;
}

export interface FormResponsesTable {
  client_id: string;
  id: string;
  user_id: string;
  invite_id: string | null;
  submission_id: string;
  /** JSON object of the answers. */
  data: string;
  created_at: string;
}

export interface WebhooksTable {
  client_id: string;
  id: string;
  name: string;
  url: string;
  /** JSON array of event names; `*` is every event. */
  events: string;
  /** JSON object, kept as given. */
  config: string;
  secret: string;
  created_at: string;
  updated_at: string;
  /** When a delivery was last attempted, whatever came of it. */
  last_sent_at: string | null;
  disabled_at: string | null;
  disabled_reason: string | null;
  /** The first failed attempt since the last success; null while deliveries succeed. */
  failing_since: string | null;
}

export type WebhookDeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'failed';

export interface WebhookDeliveriesTable {
  client_id: string;
  id: string;
  webhook_id: string;
  /** Shared by every subscription's delivery of one event; the invite event's id for invite events. */
  event_id: string;
  event: string;
  /** The exact body sent (JSON text), so every attempt carries the same bytes and signature. */
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** The queue job that sends it now (a manual retry makes a new one). */
  job_id: string | null;
  response_status: number | null;
  /** The start of the receiver's last answer. */
  response_body: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
}

export interface IdempotencyKeysTable {
  client_id: string;
  key: string;
  /** SHA-256 of the method, route, path parameters and body the key was first used with. */
  request_hash: string;
  /**
   * pending: claimed by a request that has changed nothing yet. committed: its change is
   * committed (`resource` names what it made) but its answer is not stored. done: answered.
   */
  state: 'pending' | 'committed' | 'done';
  /** What the committed change made or changed, e.g. `invite:<id>`, to answer a retry from. */
  resource: string | null;
  status_code: number | null;
  content_type: string | null;
  body: string | null;
  created_at: string;
  /** While pending: when the claim lapses and another request may take the key over. */
  locked_until: string | null;
}

/** The invite each Shareable URL landing form made, so that the form sent twice makes one. */
export interface ShareableEntriesTable {
  client_id: string;
  flow_id: string;
  /** The landing page's random id for its form. */
  submission_id: string;
  invite_id: string;
  created_at: string;
}

export interface RateLimitsTable {
  /** `key:<api key id>` or `auth:<source address>`. */
  bucket: string;
  window_start: string;
  count: number;
}

/** Sandbox test clocks: how far a client's time runs ahead of the server's. */
export interface SandboxClocksTable {
  client_id: string;
  /** Milliseconds; a bigint, which the PostgreSQL driver hands back as text. */
  offset_ms: number | string;
  updated_at: string;
}

/** A person who signs in to the Console, in one client. */
export interface MembersTable {
  client_id: string;
  id: string;
  /** As typed; unique per client in any case. */
  email: string;
  name: string;
  /** What the member may do: members/roles.ts. */
  role: 'admin' | 'full' | 'operations' | 'operations_limited' | 'developer';
  /** null until the member sets a password through a one-time link. */
  password_hash: string | null;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Admin-managed groups of members; an invite a member sends carries their group. */
export interface GroupsTable {
  client_id: string;
  id: string;
  name: string;
  created_at: string;
}

export interface MemberGroupsTable {
  client_id: string;
  member_id: string;
  group_id: string;
}

export interface ConsoleSessionsTable {
  /** SHA-256 (hex) of the token in the browser's cookie. */
  id: string;
  client_id: string;
  member_id: string;
  created_at: string;
  last_seen_at: string;
  /** The absolute end, whatever the activity. */
  expires_at: string;
  revoked_at: string | null;
}

export type MemberTokenPurpose = 'setup' | 'invite' | 'reset';

/** One-time links: the first admin's setup, an invited member's first password, a reset. */
export interface MemberTokensTable {
  /** SHA-256 (hex) of the token in the link. */
  id: string;
  client_id: string;
  /** null for `setup`, whose member does not exist yet. */
  member_id: string | null;
  purpose: MemberTokenPurpose;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** One attempt a Console throttle counts (a failed sign-in, a reset link sent). */
export interface ConsoleAttemptsTable {
  /** SHA-256 (hex) of what is counted: the throttle's name and the lower-cased email typed. */
  subject: string;
  attempted_at: string;
}

export interface Database {
  clients: ClientsTable;
  api_keys: ApiKeysTable;
  settings: SettingsTable;
  users: UsersTable;
  invite_templates: InviteTemplatesTable;
  invites: InvitesTable;
  flows: FlowsTable;
  shareable_entries: ShareableEntriesTable;
  invite_settings: InviteSettingsTable;
  invite_reply_to: InviteReplyToTable;
  deliveries: DeliveriesTable;
  outbox_messages: OutboxMessagesTable;
  jobs: JobsTable;
  job_attempts: JobAttemptsTable;
  suppressions: SuppressionsTable;
  sender_pacing: SenderPacingTable;
  accounts: AccountsTable;
  invite_events: InviteEventsTable;
  documents: DocumentsTable;
  form_responses: FormResponsesTable;
  idempotency_keys: IdempotencyKeysTable;
  rate_limits: RateLimitsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  sandbox_clocks: SandboxClocksTable;
  members: MembersTable;
  groups: GroupsTable;
  member_groups: MemberGroupsTable;
  console_sessions: ConsoleSessionsTable;
  member_tokens: MemberTokensTable;
  console_attempts: ConsoleAttemptsTable;
}
