import { type Static, Type } from '@sinclair/typebox';
import { Email, HexColor, HttpUrl, Opt, Text } from '../http/schema.ts';

const Copy = (description?: string) => Text(5000, description ? { description } : {});

export const OverrideInviteTemplate = Type.Object(
  {
    brand: Opt(
      Type.Object({
        color: Opt(HexColor({ description: 'HEX color code.' })),
        logo: Opt(HttpUrl({ description: 'URL to a logo.' })),
      }),
    ),
    email: Opt(
      Type.Object({
        reply_to: Opt(
          Type.Array(Email(), {
            maxItems: 20,
            description: 'Emails to notify after a user connects an account.',
          }),
        ),
        subject: Opt(Text(998)),
        sender: Opt(Text(255)),
        header: Opt(Copy()),
        subheader: Opt(Copy()),
        body_text_icon_1: Opt(HttpUrl({ description: 'URL to an icon.' })),
        body_text_header_1: Opt(Copy()),
        body_text_subheader_1: Opt(Copy()),
        body_text_icon_2: Opt(HttpUrl({ description: 'URL to an icon.' })),
        body_text_header_2: Opt(Copy()),
        body_text_subheader_2: Opt(Copy()),
        body_text_icon_3: Opt(HttpUrl({ description: 'URL to an icon.' })),
        body_text_header_3: Opt(Copy()),
        body_text_subheader_3: Opt(Copy()),
      }),
    ),
    sms_text: Opt(Text(1600)),
    landing_page: Opt(
      Type.Object({
        header: Opt(Copy()),
        subheader: Opt(Copy()),
        step_1: Opt(Copy()),
        step_2: Opt(Copy()),
        step_3: Opt(Copy()),
        flow_id: Opt(
          Text(100, {
            description: 'ID of an embedded experience. A flow_id given outside this object takes priority.',
          }),
        ),
      }),
    ),
    success_page: Opt(
      Type.Object({
        header: Opt(Copy()),
        subheader: Opt(Copy()),
        button_text: Opt(Text(255)),
        button_url: Opt(HttpUrl()),
      }),
    ),
  },
  {
    deprecated: true,
    description:
      'Overrides the text and branding of the invite. `email.reply_to` lists team members told by email ' +
      'when the user has connected their payroll account(s).',
  },
);
export type OverrideInviteTemplate = Static<typeof OverrideInviteTemplate>;
