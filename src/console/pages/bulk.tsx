import type { GroupChoice } from '../../members/groups.service.ts';
import type { FormErrors } from '../forms.ts';
import type { Shell } from '../shell.ts';
import { ErrorSummary } from './form.tsx';
import { Page } from './layout.tsx';

/** A row as the page lists it: its number and what was wrong, or its invite. */
export interface ShownRow {
  row: number;
  name: string;
  contact: string;
  inviteId: string | null;
  errors: string[];
}

interface BulkProps {
  shell: Shell;
  flows: { id: string; name: string }[];
  defaultFlowId: string | null;
  /** The member's groups: the invites are sent in one of them. */
  groups: readonly GroupChoice[];
  flowId: string;
  groupId: string;
  errors?: FormErrors;
  /** After an upload: the file (base64) and its rows, checked; after sending, the results. */
  checked?: {
    file: string;
    total: number;
    valid: number;
    refused: ShownRow[];
    sent: boolean;
    /** Sent before by this member with this template: nothing was sent again. */
    again?: boolean;
  };
}

/** Rows with errors listed on the page; the results file has them all. */
export const SHOWN_ROWS = 500;

export function BulkPage({
  shell,
  flows,
  defaultFlowId,
  groups,
  flowId,
  groupId,
  errors,
  checked,
}: BulkProps) {
  const hidden = checked && (
    <>
      <input type="hidden" name="file" value={checked.file} />
      <input type="hidden" name="flow_id" value={flowId} />
      <input type="hidden" name="group_id" value={groupId} />
    </>
  );
  return (
    <Page shell={shell} title="Bulk send">
      <h1>Bulk send</h1>
      <ErrorSummary errors={errors} labels={{ file: 'File', flow_id: 'Template', group_id: 'Group' }} />
      {!checked?.sent && (
        <form method="post" action="/console/bulk" enctype="multipart/form-data">
          <input type="hidden" name="_csrf" value={shell.csrf} />
          <div class="field">
            <label for="field-file">CSV file</label>
            <p class="hint" id="field-file-hint">
              A header row, then one recipient a row: first_name, last_name, email, phone_number, external_id
              (or full_name instead of the names). Other columns are ignored. At most 5,000 rows, 2 MB.
            </p>
            <input
              id="field-file"
              name="file"
              type="file"
              accept=".csv,text/csv"
              required
              aria-describedby="field-file-hint"
            />
          </div>
          <div class="field">
            <label for="field-flow_id">Template</label>
            <select id="field-flow_id" name="flow_id">
              <option value="" selected={flowId === ''}>
                {defaultFlowId ? 'The default template' : 'Built-in text'}
              </option>
              {flows.map((f) => (
                <option key={f.id} value={f.id} selected={f.id === flowId}>
                  {f.id === defaultFlowId ? `${f.name} (default)` : f.name}
                </option>
              ))}
            </select>
          </div>
          {groups.length > 1 && (
            <div class="field">
              <label for="field-group_id">Group</label>
              <select id="field-group_id" name="group_id">
                {groups.map((g) => (
                  <option key={g.id} value={g.id} selected={g.id === groupId}>
                    {g.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <button class="btn" type="submit">
            Check the rows
          </button>
        </form>
      )}
      {checked && (
        <section aria-labelledby="rows-title" class="bulk-rows">
          <h2 id="rows-title">{checked.sent ? 'Sent' : 'Checked'}</h2>
          <p role="status">
            {checked.again
              ? `This file was sent before with this template: nothing was sent again. ${checked.valid} of ${checked.total} rows were sent then; ${checked.refused.length} refused.`
              : checked.sent
                ? `${checked.valid} of ${checked.total} rows sent; ${checked.refused.length} refused.`
                : `${checked.valid} of ${checked.total} rows are ready to send; ${checked.refused.length} ${checked.refused.length === 1 ? 'has' : 'have'} errors.`}
          </p>
          {!checked.sent && checked.valid > 0 && (
            <form method="post" action="/console/bulk/send">
              <input type="hidden" name="_csrf" value={shell.csrf} />
              {hidden}
              <button class="btn" type="submit">
                Send {checked.valid} {checked.valid === 1 ? 'invite' : 'invites'}
              </button>
            </form>
          )}
          {checked.sent && (
            <form method="post" action="/console/bulk/results">
              <input type="hidden" name="_csrf" value={shell.csrf} />
              {hidden}
              <button class="btn" type="submit">
                Download the results (CSV)
              </button>
            </form>
          )}
          {checked.refused.length > 0 && <RefusedRows rows={checked.refused} />}
        </section>
      )}
    </Page>
  );
}

function RefusedRows({ rows }: { rows: ShownRow[] }) {
  const shown = rows.slice(0, SHOWN_ROWS);
  return (
    <table class="list">
      <caption>
        Rows with errors
        {rows.length > shown.length ? ` (the first ${shown.length} of ${rows.length})` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">Row</th>
          <th scope="col">Recipient</th>
          <th scope="col">Errors</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((r) => (
          <tr key={r.row}>
            <td data-label="Row">{r.row}</td>
            <td data-label="Recipient">
              {r.name}
              {r.name && r.contact ? ' · ' : ''}
              {r.contact}
            </td>
            <td data-label="Errors">
              <ul class="field-errors">
                {r.errors.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
