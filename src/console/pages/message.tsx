import type { Shell } from '../shell.ts';
import { Page } from './layout.tsx';

/** A page that only says something: not found, not allowed, a link that expired, a fault. */
export function MessagePage(props: { shell: Shell; title: string; message: string }) {
  const { shell, title, message } = props;
  return (
    <Page shell={shell} title={title}>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/console">{shell.member ? 'Go to Invites' : 'Go to sign in'}</a>
      </p>
    </Page>
  );
}
