import { smsCost } from '../../lib/sms-segments.ts';
import { withoutPixel } from '../../outbox/outbox.page.ts';
import type { OutboxMessage } from '../../outbox/outbox.schema.ts';
import type { Shell } from '../shell.ts';
import { when } from './invites.tsx';
import { Page } from './layout.tsx';
import { channelLabel } from './outbox.tsx';

const URL_IN_TEXT = /(https?:\/\/[^\s<>"]+)/;

/** Text with its web addresses as links, so the invite's link can be followed from here. */
function LinkedText({ text }: { text: string }) {
  // split keeps the captured addresses at the odd places.
  const parts = text.split(URL_IN_TEXT);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          // The parts alternate text and address, and never move: the place is the key.
          <a key={i} href={part}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

/** One captured message: its envelope, an email's HTML and text parts, or an SMS and its cost. */
export function OutboxMessagePage({ shell, message: m }: { shell: Shell; message: OutboxMessage }) {
  const title = m.channel === 'email' ? m.subject || '(no subject)' : `SMS to ${m.to}`;
  return (
    <Page shell={shell} title={`Outbox: ${title}`}>
      <p>
        <a href="/console/outbox">Back to the outbox</a>
      </p>
      <h1>{title}</h1>
      <dl class="facts">
        <dt>Channel</dt>
        <dd>
          <span class={`channel-tag channel-${m.channel}`}>{channelLabel(m)}</span>
        </dd>
        <dt>To</dt>
        <dd>{m.to}</dd>
        {m.from && (
          <>
            <dt>From</dt>
            <dd>{m.from}</dd>
          </>
        )}
        {m.reply_to && (
          <>
            <dt>Reply-to</dt>
            <dd>{m.reply_to}</dd>
          </>
        )}
        <dt>Captured</dt>
        <dd>
          <time dateTime={m.created_at}>{when(m.created_at)}</time>
        </dd>
        <dt>Invite</dt>
        <dd>
          {m.invite_id ? (
            <a href={`/console/invites/${m.invite_id}`}>
              <code>{m.invite_id}</code>
            </a>
          ) : (
            'none'
          )}
        </dd>
      </dl>
      {m.channel === 'email' ? <EmailParts message={m} /> : <SmsBody text={m.text} />}
    </Page>
  );
}

function EmailParts({ message: m }: { message: OutboxMessage }) {
  return (
    <>
      {m.html !== null && (
        <section aria-labelledby="html-heading">
          <h2 id="html-heading">As the recipient sees it</h2>
          {/* The recipient's HTML runs nothing here (`sandbox=""`), and its open-tracking
              image is left out: looking at a message is not the recipient opening it. */}
          <iframe
            class="outbox-frame"
            title={`Email: ${m.subject || '(no subject)'}`}
            sandbox=""
            srcdoc={withoutPixel(m.html)}
          />
        </section>
      )}
      <section aria-labelledby="text-heading">
        <h2 id="text-heading">Plain-text part</h2>
        <pre class="outbox-text">
          <LinkedText text={m.text} />
        </pre>
      </section>
    </>
  );
}

function SmsBody({ text }: { text: string }) {
  const cost = smsCost(text);
  return (
    <section aria-labelledby="sms-heading">
      <h2 id="sms-heading">Message</h2>
      <p class="outbox-bubble">
        <LinkedText text={text} />
      </p>
      <p class="muted">
        {cost.segments} {cost.segments === 1 ? 'segment' : 'segments'} · {cost.units} characters ·{' '}
        {cost.encoding}
      </p>
    </section>
  );
}
