/**
 * Row types of the database. Timestamps are ISO 8601 strings (lexically ordered), JSON
 * columns are text. Every tenant table leads its keys with client_id.
 */
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
  created_at: string;
  updated_at: string;
  invited_at: string;
  revoked_at: string | null;
}

export interface InviteReplyToTable {
  client_id: string;
  email: string;
  created_at: string;
  invite_id: string;
}

export interface DeliveriesTable {
  client_id: string;
  id: string;
  invite_id: string;
  method: 'email' | 'sms';
  status: 'sent' | 'delivered' | 'undelivered' | 'opened';
  /** Email address or E.164 number the message went to. */
  recipient: string;
  status_detail: string | null;
  created_at: string;
  sent_at: string;
  updated_at: string;
}

export interface OutboxMessagesTable {
  client_id: string;
  id: string;
  delivery_id: string;
  channel: 'email' | 'sms';
  to_address: string;
  subject: string | null;
  text_body: string;
  html_body: string | null;
  created_at: string;
}

export interface Database {
  clients: ClientsTable;
  api_keys: ApiKeysTable;
  settings: SettingsTable;
  users: UsersTable;
  invite_templates: InviteTemplatesTable;
  invites: InvitesTable;
  invite_reply_to: InviteReplyToTable;
  deliveries: DeliveriesTable;
  outbox_messages: OutboxMessagesTable;
}
