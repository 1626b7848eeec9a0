import { type Static, Type } from '@sinclair/typebox';
import { Timestamp } from '../http/schema.ts';

export const SimulateInviteRequest = Type.Object(
  {
    action: Type.Union(
      [Type.Literal('open'), Type.Literal('initiate'), Type.Literal('attempt'), Type.Literal('complete')],
      {
        description:
          "What the recipient does: `open` the invite's URL from its latest message, `initiate` (press the landing page's button), `attempt` (a login with the wrong password), `complete` (connect an account, or upload a document).",
      },
    ),
    via: Type.Optional(
      Type.Union([Type.Literal('account'), Type.Literal('document')], {
        description: 'How `complete` completes: a connected account (the default) or an uploaded document.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SimulateInviteRequest = Static<typeof SimulateInviteRequest>;

export const SimulateDeliveryRequest = Type.Object(
  {
    status: Type.Union([Type.Literal('delivered'), Type.Literal('undelivered'), Type.Literal('opened')], {
      description:
        'What the provider or the recipient reports: delivered, undelivered (a bounce, a carrier failure) or opened.',
    }),
    error_code: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 20,
        description:
          "With `undelivered`: the provider's code. `21610` (the number replied STOP) or an SMTP 5xx such as `550` (a hard bounce) suppress the address, as the real ones do.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type SimulateDeliveryRequest = Static<typeof SimulateDeliveryRequest>;

export const ClockObject = Type.Object(
  { now: Timestamp({ description: "This client's time: the server's time moved by every advance." }) },
  { $id: 'SandboxClock' },
);
export type ClockObject = Static<typeof ClockObject>;

export const AdvanceClockRequest = Type.Object(
  {
    advance_seconds: Type.Integer({
      description: 'How far to move the clock forward; more than zero, at most 10 years.',
      maximum: 315_360_000,
    }),
  },
  { additionalProperties: false },
);
export type AdvanceClockRequest = Static<typeof AdvanceClockRequest>;

export const ResetResult = Type.Object(
  {
    deleted: Type.Record(Type.String(), Type.Integer(), {
      description: 'Rows deleted, by kind of record.',
    }),
  },
  { $id: 'SandboxReset' },
);
