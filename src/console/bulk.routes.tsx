import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { AppError, type FieldErrors, statusOf } from '../errors.ts';
import { listFlows } from '../flows/flows.service.ts';
import { prepareInvite, sendContext } from '../invites/invite-send.ts';
import { readSendBody } from '../invites/invites.input.ts';
import { groupsNamed } from '../members/groups.service.ts';
import type { SignedIn } from '../members/sessions.service.ts';
import { loadInviteSettings } from '../settings/invite-settings.service.ts';
import {
  BulkFileError,
  type BulkRow,
  errorMessages,
  MAX_FILE_BYTES,
  readBulkCsv,
  resultsCsv,
} from './bulk-csv.ts';
import { type BulkSend, fileHash, sendBulk, sentBefore } from './bulk-send.ts';
import { type FormErrors, field, requireCsrf } from './forms.ts';
import { BulkPage, type ShownRow } from './pages/bulk.tsx';
import { sendPage } from './render.ts';
import { groupOf, sendBodyOf } from './send-input.ts';
import { memberOf, requireMember } from './session.hook.ts';
import { shellOf } from './shell.ts';

/** The file travels back base64-encoded in the page's send form: a third more than its size. */
const SEND_BODY_LIMIT = Math.ceil((MAX_FILE_BYTES * 4) / 3) + 64 * 1024;
const FLOW_CHOICES = 100;

interface Posted {
  file: Buffer;
  flowId: string;
  groupId: string;
}

type Checked = Parameters<typeof BulkPage>[0]['checked'];

async function showBulk(
  deps: Deps,
  req: FastifyRequest,
  reply: FastifyReply,
  posted: Omit<Posted, 'file'>,
  extra: { errors?: FormErrors; checked?: Checked; status?: number } = {},
) {
  const member = memberOf(req);
  const [flows, settings, groups] = await Promise.all([
    listFlows(deps, member.clientId, { limit: FLOW_CHOICES }),
    loadInviteSettings(deps.db, member.clientId),
    groupsNamed(deps, member.clientId, member.groupIds),
  ]);
  const shell = await shellOf(deps, req, reply);
  return sendPage(
    reply,
    <BulkPage
      shell={shell}
      flows={flows.results.map((f) => ({ id: f.id, name: f.name }))}
      defaultFlowId={settings.default_flow_id}
      groups={groups}
      flowId={posted.flowId}
      groupId={posted.groupId}
      errors={extra.errors}
      checked={extra.checked}
    />,
    extra.status,
  );
}

function shownRow(row: BulkRow, errors: FieldErrors | null, inviteId: string | null): ShownRow {
  const v = row.values;
  const name = [v.first_name, v.last_name].filter(Boolean).join(' ') || (v.full_name ?? '');
  return {
    row: row.row,
    name,
    contact: v.email ?? v.phone_number ?? '',
    inviteId,
    errors: errors ? errorMessages(errors) : [],
  };
}

function groupFor(member: SignedIn, chosen: string): string | null {
  const errors: FieldErrors = {};
  const group = groupOf(member, chosen, errors);
  if (errors.group_id) throw AppError.fields(errors);
  return group;
}

/** The file posted back by the check page's forms, and its rows. */
function postedBack(body: unknown): Posted & { rows: BulkRow[] } {
  const file = Buffer.from(field(body, 'file'), 'base64');
  if (file.length === 0 || file.length > MAX_FILE_BYTES) throw AppError.badRequest('Upload the file again.');
  let rows: BulkRow[];
  try {
    rows = readBulkCsv(file);
  } catch (err) {
    // Only an edited form posts back a file its own check did not accept.
    if (err instanceof BulkFileError) throw AppError.badRequest('Upload the file again.');
    throw err;
  }
  return { file, rows, flowId: field(body, 'flow_id'), groupId: field(body, 'group_id') };
}

function bulkSendOf(member: SignedIn, posted: Posted): BulkSend {
  const origin = { memberId: member.id, groupId: groupFor(member, posted.groupId), cc: [] };
  return { hash: fileHash(posted.file), flowId: posted.flowId, origin };
}

/** Bulk send: a CSV checked row by row, then sent through the API's batch send. */
export function registerBulkRoutes(app: FastifyInstance, deps: Deps): void {
  const guard = { preHandler: requireMember(deps, 'canSend') };

  app.get('/bulk', guard, async (req, reply) => showBulk(deps, req, reply, { flowId: '', groupId: '' }));

  // Checks every row without sending any.
  app.register(async (upload) => {
    await upload.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 10 },
    });
    upload.post('/bulk', guard, async (req, reply) => {
      await requireCsrf(deps, req);
      const member = memberOf(req);
      const body = req.body as Record<string, unknown>;
      const posted = { flowId: field(body, 'flow_id'), groupId: field(body, 'group_id') };
      const file = body.file;
      const refuse = (message: string) =>
        showBulk(deps, req, reply, posted, { errors: { file: [message] }, status: statusOf('bad_request') });
      if (!Buffer.isBuffer(file) || file.length === 0) return refuse('Choose a CSV file.');
      let rows: BulkRow[];
      try {
        rows = readBulkCsv(file);
      } catch (err) {
        if (err instanceof BulkFileError) return refuse(err.message);
        throw err;
      }
      const groupId = groupFor(member, posted.groupId);
      const ctx = await sendContext(deps, member.clientId);
      const origin = { memberId: member.id, groupId, cc: [] };
      const refused: ShownRow[] = [];
      for (const row of rows) {
        const { body: item, errors } = readSendBody(sendBodyOf({ ...row.values, flow_id: posted.flowId }));
        const prepared = await prepareInvite(deps, ctx, item, errors, origin);
        if ('errors' in prepared) refused.push(shownRow(row, prepared.errors, null));
      }
      const checked = {
        file: file.toString('base64'),
        total: rows.length,
        valid: rows.length - refused.length,
        refused,
        sent: false,
      };
      return showBulk(deps, req, reply, posted, { checked });
    });
  });

  const sendRoute = { ...guard, bodyLimit: SEND_BODY_LIMIT };

  app.post('/bulk/send', sendRoute, async (req, reply) => {
    await requireCsrf(deps, req);
    const member = memberOf(req);
    const posted = postedBack(req.body);
    const { rows } = posted;
    const send = bulkSendOf(member, posted);
    const again = await sentBefore(deps, member.clientId, send);
    const results = await sendBulk(deps, member.clientId, rows, send);
    const refused = results.flatMap((r, i) => {
      const row = rows[i];
      return r.errors && row ? [shownRow(row, r.errors, null)] : [];
    });
    const checked = {
      file: posted.file.toString('base64'),
      total: rows.length,
      valid: results.filter((r) => r.inviteId).length,
      refused,
      sent: true,
      again,
    };
    return showBulk(deps, req, reply, posted, { checked });
  });

  // The results of a file already sent: read again from what was made, nothing sent twice.
  app.post('/bulk/results', sendRoute, async (req, reply) => {
    await requireCsrf(deps, req);
    const member = memberOf(req);
    const posted = postedBack(req.body);
    const send = bulkSendOf(member, posted);
    if (!(await sentBefore(deps, member.clientId, send))) {
      throw AppError.badRequest('This file has not been sent yet.');
    }
    const results = await sendBulk(deps, member.clientId, posted.rows, send);
    const csv = resultsCsv(
      results.map((r) => ({
        row: r.row,
        inviteId: r.inviteId,
        errors: r.errors ? errorMessages(r.errors) : [],
      })),
    );
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="bulk-results.csv"')
      .send(csv);
  });
}
