import type { FlowObject } from '../../flows/flows.schema.ts';
import { CSRF_FIELD } from '../csrf.ts';
import type { Shell } from '../shell.ts';
import { Page } from './layout.tsx';

/** The step before a template goes: what deleting it means, and the button that does it. */
export function TemplateDeletePage({ shell, flow }: { shell: Shell; flow: FlowObject }) {
  return (
    <Page shell={shell} title={`Delete ${flow.name}`}>
      <h1>Delete “{flow.name}”?</h1>
      <p>
        New invites can no longer use it
        {flow.type === 'shareable_url' ? ', and its Shareable URL stops working' : ''}. Invites already sent
        with it keep their pages and re-sends.
      </p>
      <form method="post" action={`/console/templates/${flow.id}/delete`}>
        <input type="hidden" name={CSRF_FIELD} value={shell.csrf} />
        <button type="submit" class="btn danger">
          Delete template
        </button>{' '}
        <a href={`/console/templates/${flow.id}`}>Cancel</a>
      </form>
    </Page>
  );
}
