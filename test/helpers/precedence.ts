/**
 * The layers of the render precedence as a client sets them, each with values no other layer
 * uses, so whatever a message or page shows names the layer it came from. Each layer leaves
 * some fields out, so the layers below it must still show there.
 */

/** inviteBody()'s recipient, as [Name] fills in. */
export const NAME = 'Sarah Longfield';

export const DEFAULT_COLOR = '#1A56DB';

/** PATCH /v2/invite-settings. */
export const SETTINGS = {
  company_name: 'Settings Co',
  sender: 'Settings Sender',
  brand: { color: '#0B6E4F', logo: 'https://settings.example/logo.png' },
};

/** POST /v2/flows: no sender, body, logo, landing subheader or success subheader. */
export const FLOW = {
  type: 'email_sms_template',
  name: 'Precedence flow',
  email: {
    subject: 'Flow subject for [Name] at [Company]',
    header: 'Flow header',
    body_text_header_1: 'Flow row heading',
    body_text_subheader_1: 'Flow row text',
  },
  sms_text: 'Flow text from [Company] for [Name]: [Link]',
  brand: { color: '#7A1F5C' },
  landing_page: { header: 'Flow landing header', step_1: 'Flow step one', step_2: 'Flow step two' },
  success_page: { header: 'Flow success header' },
};

/** POST /v2/invite-templates: every field a legacy template has, but no success page. */
export const TEMPLATE = {
  name: 'Legacy',
  email_body: 'Legacy body for [Name] from [Company]',
  sms_body: 'Legacy text from [Company]: [Link]',
  header: 'Legacy header',
  button: 'Legacy button',
  subject: 'Legacy subject from [Sender]',
  sender: 'Lena at [Company]',
  company: 'Legacy Co',
  logo_url: 'https://legacy.example/logo.png',
  page_heading: 'Legacy page heading',
  page_description: 'Legacy page description for [Name]',
  page_button: 'Legacy page button',
  reply_to: 'replies@legacy.example',
};

/** override_invite_template: a few fields of each part. */
export const OVERRIDE = {
  email: { subject: 'Override subject from [Sender]', sender: 'Olga Override' },
  brand: { color: '#8A4B08' },
  sms_text: 'Override text for [Name]: [Link]',
  landing_page: { subheader: 'Override landing subheader' },
  success_page: { subheader: 'Override success subheader' },
};

export const COLORS = [DEFAULT_COLOR, SETTINGS.brand.color, FLOW.brand.color, OVERRIDE.brand.color];
