import { type Static, Type } from '@sinclair/typebox';
import { Email, HttpUrl, Limit, Nullable, Opt, Text, Uuid } from '../http/schema.ts';

const Required = (max: number, description: string) => Text(max, { minLength: 1, description });

const PageConfigFields = {
  page_success_heading: Required(1000, 'Header bold text of the success page.'),
  page_success_description: Required(5000, 'Body text of the success page.'),
  page_success_show_button: Type.Boolean({
    description: 'Show a button on the success page that returns to Link.',
  }),
};

export const PageConfigRequest = Type.Object(
  {
    ...PageConfigFields,
    page_success_button: Opt(
      Text(255, { description: 'Success button text. Required when page_success_show_button is true.' }),
    ),
  },
  { description: 'Success page shown after the user connects payroll accounts through Link.' },
);

const TemplateFields = {
  name: Required(255, 'Name for the invite template.'),
  email_body: Required(10000, 'Email body text content.'),
  sms_body: Required(1600, 'SMS message text content.'),
  header: Required(1000, 'Email header bold text, just above the body text.'),
  button: Required(255, 'Call-to-action button text, such as "Connect Payroll Accounts".'),
  subject: Required(998, 'Email subject line.'),
  sender: Required(255, "Invite sender. Typically an individual's name or [Company]."),
  company: Required(255, 'Value for the [Company] placeholder.'),
  logo_url: HttpUrl({ description: 'URL of a circular logo image.' }),
  page_heading: Required(1000, 'Bold header of the landing page.'),
  page_description: Required(5000, 'Body text of the landing page.'),
  page_button: Required(255, 'Call-to-action button text of the landing page.'),
};

export const InviteTemplateRequest = Type.Object({
  ...TemplateFields,
  page_config: Opt(PageConfigRequest),
  reply_to: Opt(Email({ description: 'Reply-to email address for the invite.' })),
  flow_id: Opt(Text(100, { description: "ID used to customize the user's experience in Link." })),
});
export type InviteTemplateRequest = Static<typeof InviteTemplateRequest>;

export const InviteTemplate = Type.Object(
  {
    id: Uuid(),
    ...TemplateFields,
    page_config: Nullable(Type.Object({ ...PageConfigFields, page_success_button: Nullable(Type.String()) })),
    reply_to: Nullable(Type.String()),
    flow_id: Nullable(Type.String()),
  },
  { $id: 'InviteTemplate' },
);
export type InviteTemplate = Static<typeof InviteTemplate>;

export const ListTemplatesQuery = Type.Object({ limit: Type.Optional(Limit) });
export type ListTemplatesQuery = Static<typeof ListTemplatesQuery>;
