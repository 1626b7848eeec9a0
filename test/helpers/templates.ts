/** The documented example request of the legacy template API (with a real reply_to). */
export const SEED_BODY = {
  name: 'First invite template',
  email_body:
    'Hi, [Name], [Company] is working with Argyle to verify your work history. It is a quick process that ' +
    'should take no longer than a few minutes to complete. Get started by clicking the link below. ' +
    'Sincerely, [Sender]',
  sms_body: '[Company] has asked you to connect your employment accounts. Get started here: [Link]',
  header: '[Company] would like you to connect your employment accounts',
  button: 'Connect your employment accounts',
  subject: 'Connect Your Employment Account',
  sender: '[Company]',
  company: 'Test Co.',
  logo_url: 'https://company.com/logo.jpg',
  page_heading: 'Please connect your employment account',
  page_description: '[Company] has asked you to connect your employment account to use their services.',
  page_button: 'Connect Account',
  page_config: {
    page_success_heading: 'Thank you for connecting your accounts',
    page_success_description: 'You are all set. If you have any questions please reach out to [Company].',
    page_success_show_button: true,
    page_success_button: 'Connect Additional Accounts',
  },
  reply_to: 'hr@company.com',
  flow_id: '00000000',
};
export const REQUIRED_FIELDS = [
  'name',
  'email_body',
  'sms_body',
  'header',
  'button',
  'subject',
  'sender',
  'company',
  'logo_url',
  'page_heading',
  'page_description',
  'page_button',
] as const;
/** The example without its optional fields. */
export const minimalTemplate = () => {
  const { page_config: _p, reply_to: _r, flow_id: _f, ...rest } = SEED_BODY;
  return rest;
};
