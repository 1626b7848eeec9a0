import type { Shell } from '../shell.ts';
import { Page } from './layout.tsx';

export function ComingSoonPage({ shell, label }: { shell: Shell; label: string }) {
  return (
    <Page shell={shell} title={label}>
      <h1>{label}</h1>
      <p>
        This page is coming soon. Until then, the API does it all: see the <a href="/docs">API reference</a>.
      </p>
    </Page>
  );
}
