import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember } from '../src/members/members.service.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { type ConsoleBrowser, consoleBrowser, csrfOf, textOf } from './helpers/console.ts';

let t: TestApp;
let nextIp = 1;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** A browser signed in as a new member of the role. */
async function signedIn(role = 'admin'): Promise<ConsoleBrowser> {
  const email = `m${nextIp}@acme.example`;
  await createMember(t.deps, t.key.client_id, { email, name: '', role, password: PASSWORD });
  const b = consoleBrowser(t, { ip: `198.51.100.${nextIp++}` });
  const res = await b.submit('/console', '/console/sign-in', { email, password: PASSWORD });
  expect(res.status).toBe(303);
  return b;
}

/** The messages shown beside a field. */
function errorsBeside(html: string, name: string): string {
  const id = `field-${name}-errors`;
  const m = new RegExp(`<ul class="field-errors" id="${id.replace(/\./g, '\\.')}">([\\s\\S]*?)</ul>`).exec(
    html,
  );
  return textOf(m?.[1] ?? '');
}

async function flowCount(): Promise<number> {
  const res = await t.request('GET', '/v2/flows?limit=100');
  return res.body.results.length;
}

const TEMPLATE = {
  type: 'email_sms_template',
  name: 'Payroll onboarding',
  language: 'en',
  'brand.own_color': 'on',
  'brand.color': '#0f766e',
  'brand.logo': 'https://acme.example/logo.png',
  'email.subject': 'Connect your payroll, [Name]',
  'email.sender': 'Acme HR',
  'email.header': 'One quick step',
  'email.subheader': 'It takes two minutes.',
  'email.reply_to': 'hr@acme.example, ops@acme.example',
  'email.body_text_header_1': 'Secure',
  'email.body_text_subheader_1': 'Bank-grade encryption.',
  sms_text: 'Acme: connect your payroll at [Link]',
  'landing_page.header': 'Welcome to Acme',
  'landing_page.step_1': 'Find your employer',
  'success_page.header': 'All done',
  'success_page.button_text': 'Back to Acme',
  'success_page.button_url': 'https://acme.example',
  flow_items: 'item_a\nitem_b',
};

async function createFromForm(b: ConsoleBrowser, fields: Record<string, string>): Promise<string> {
  const res = await b.submit('/console/templates/new', '/console/templates/new', {
    _action: 'save',
    ...fields,
  });
  expect(res.status).toBe(303);
  const id = /\/console\/templates\/([0-9A-Z]{8})$/.exec(res.location ?? '')?.[1];
  if (!id) throw new Error(`no template id in ${res.location}`);
  return id;
}

describe('templates', () => {
  it('creates a template from the form with every field, and lists it', async () => {
    const b = await signedIn();
    const id = await createFromForm(b, TEMPLATE);
    const flow = (await t.request('GET', `/v2/flows/${id}`)).body;
    expect(flow).toMatchObject({
      type: 'email_sms_template',
      name: 'Payroll onboarding',
      brand: { color: '#0f766e', logo: 'https://acme.example/logo.png' },
      email: {
        subject: 'Connect your payroll, [Name]',
        sender: 'Acme HR',
        reply_to: ['hr@acme.example', 'ops@acme.example'],
        body_text_header_1: 'Secure',
      },
      sms_text: 'Acme: connect your payroll at [Link]',
      landing_page: { header: 'Welcome to Acme', step_1: 'Find your employer' },
      success_page: { header: 'All done', button_text: 'Back to Acme', button_url: 'https://acme.example' },
      flow_items: ['item_a', 'item_b'],
    });

    const list = await b.get('/console/templates');
    expect(list.status).toBe(200);
    expect(textOf(list.html)).toContain('Payroll onboarding');
    expect(list.html).toContain(`href="/console/templates/${id}"`);

    // The edit page shows what was saved, and its preview renders it.
    const edit = await b.get(`/console/templates/${id}`);
    expect(edit.status).toBe(200);
    expect(edit.html).toContain('value="Connect your payroll, [Name]"');
    expect(edit.html).toContain('Connect your payroll, Jordan');
  });

  it('edits a template: changed fields saved, a blanked one cleared', async () => {
    const b = await signedIn();
    const id = await createFromForm(b, TEMPLATE);
    const res = await b.submit(`/console/templates/${id}`, `/console/templates/${id}`, {
      ...TEMPLATE,
      _action: 'save',
      name: 'Payroll v2',
      language: 'es',
      'email.subject': 'New subject',
      sms_text: '',
      'brand.own_color': '',
    });
    expect(res.status).toBe(303);
    const flow = (await t.request('GET', `/v2/flows/${id}`)).body;
    expect(flow.name).toBe('Payroll v2');
    expect(flow.language).toBe('es');
    expect(flow.email.subject).toBe('New subject');
    expect(flow.sms_text).toBeNull();
    expect(flow.brand).toEqual({ logo: 'https://acme.example/logo.png' });
  });

  it('shows the API’s errors beside their fields and saves nothing', async () => {
    const b = await signedIn();
    const id = await createFromForm(b, TEMPLATE);
    const before = (await t.request('GET', `/v2/flows/${id}`)).body;
    const count = await flowCount();

    const bad = {
      ...TEMPLATE,
      _action: 'save',
      name: '   ',
      'brand.logo': 'javascript:alert(1)',
      'email.reply_to': 'not-an-email',
      'success_page.button_text': 'x'.repeat(256),
    };
    const created = await b.submit('/console/templates/new', '/console/templates/new', bad);
    expect(created.status).toBe(400);
    expect(errorsBeside(created.html, 'name')).toBe('This field may not be blank.');
    expect(errorsBeside(created.html, 'brand.logo')).toBe('Enter a valid URL (http or https).');
    expect(errorsBeside(created.html, 'email.reply_to')).toBe('Enter a valid email address.');
    expect(errorsBeside(created.html, 'success_page.button_text')).toBe(
      'Ensure this field has no more than 255 characters.',
    );
    // What was typed is kept, marked invalid.
    expect(created.html).toMatch(
      /id="field-brand\.logo" aria-invalid="true"[^>]*value="javascript:alert\(1\)"/,
    );
    expect(await flowCount()).toBe(count);

    const edited = await b.submit(`/console/templates/${id}`, `/console/templates/${id}`, bad);
    expect(edited.status).toBe(400);
    expect(errorsBeside(edited.html, 'brand.logo')).toBe('Enter a valid URL (http or https).');
    expect((await t.request('GET', `/v2/flows/${id}`)).body).toEqual(before);
  });

  it('sets the default template, which the settings and the list show', async () => {
    const b = await signedIn();
    const id = await createFromForm(b, { ...TEMPLATE, name: 'The default one' });
    const res = await b.submit('/console/templates', `/console/templates/${id}/default`, {});
    expect(res.status).toBe(303);
    expect((await t.request('GET', '/v2/invite-settings')).body.default_flow_id).toBe(id);
    const list = await b.get('/console/templates');
    const row = /<tr>(?:(?!<\/tr>)[\s\S])*The default one[\s\S]*?<\/tr>/.exec(list.html)?.[0] ?? '';
    expect(textOf(row)).toContain('Default');
    const edit = await b.get(`/console/templates/${id}`);
    expect(textOf(edit.html)).toContain('Default template');
  });

  it('lists a Shareable URL with its address to copy, and activates and deactivates it', async () => {
    const b = await signedIn();
    const id = await createFromForm(b, {
      type: 'shareable_url',
      name: 'Careers page link',
      language: 'en',
      active: 'on',
      notify_emails: 'hr@acme.example',
      'landing_page.header': 'Hello visitor',
    });
    const flow = (await t.request('GET', `/v2/flows/${id}`)).body;
    expect(flow).toMatchObject({ type: 'shareable_url', active: true, notify_emails: ['hr@acme.example'] });

    let list = await b.get('/console/templates');
    expect(list.html).toMatch(
      new RegExp(`<input id="url-${id}" class="copy-field" type="text" readonly value="${flow.url}"`),
    );
    expect(list.html).toContain(
      `<label for="url-${id}" class="visually-hidden">Shareable URL of Careers page link`,
    );

    const off = await b.submit('/console/templates', `/console/templates/${id}/active`, { active: 'false' });
    expect(off.status).toBe(303);
    expect((await t.request('GET', `/v2/flows/${id}`)).body.active).toBe(false);
    list = await b.get('/console/templates');
    expect(textOf(list.html)).toContain('Inactive Activate Careers page link');
    // The recipient's side agrees: an inactive URL makes no invite.
    const visit = await t.app.inject({ method: 'GET', url: `/s/${id}` });
    expect(visit.body).toContain('No action needed');

    const on = await b.submit('/console/templates', `/console/templates/${id}/active`, { active: 'true' });
    expect(on.status).toBe(303);
    expect((await t.request('GET', `/v2/flows/${id}`)).body.active).toBe(true);
  });

  it('deletes a template only after the confirmation step', async () => {
    const b = await signedIn();
    const id = await createFromForm(b, { ...TEMPLATE, name: 'Short-lived' });
    const confirm = await b.get(`/console/templates/${id}/delete`);
    expect(confirm.status).toBe(200);
    expect(textOf(confirm.html)).toContain('Delete “Short-lived”?');
    // Opening the confirmation deletes nothing.
    expect((await t.request('GET', `/v2/flows/${id}`)).status).toBe(200);
    const res = await b.post(`/console/templates/${id}/delete`, { _csrf: csrfOf(confirm.html) });
    expect(res.status).toBe(303);
    expect((await t.request('GET', `/v2/flows/${id}`)).status).toBe(404);
    expect((await b.get(`/console/templates/${id}`)).status).toBe(404);
  });

  it('refuses a form without its CSRF token, changing nothing', async () => {
    const b = await signedIn();
    const id = await createFromForm(b, TEMPLATE);
    const res = await b.post(`/console/templates/${id}/delete`, {});
    expect(res.status).toBe(403);
    expect((await t.request('GET', `/v2/flows/${id}`)).status).toBe(200);
  });
});

describe('the preview', () => {
  it('shows the posted texts, the SMS with its segments, and saves nothing', async () => {
    const b = await signedIn();
    const count = await flowCount();
    const page = await b.get('/console/templates/new');
    const res = await b.post('/console/templates/preview', {
      _csrf: csrfOf(page.html),
      ...TEMPLATE,
      sms_text: 'Hi [Name], connect at [Link] 😀',
    });
    expect(res.status).toBe(200);
    const text = textOf(res.html);
    expect(text).toContain('Subject: Connect your payroll, Jordan');
    expect(text).toMatch(/Hi Jordan Rivera, connect at http:\/\/invitekit\.test\/connect\/preview 😀/);
    expect(text).toContain('1 segment');
    expect(text).toContain('UCS-2');
    expect(res.html).toMatch(
      /<iframe class="preview-frame" title="Email preview" sandbox srcdoc="[^"]*One quick step/,
    );
    expect(res.html).toMatch(/title="Landing page preview" sandbox srcdoc="[^"]*Welcome to Acme/);
    expect(res.html).toMatch(/title="Success page preview" sandbox srcdoc="[^"]*All done/);
    expect(await flowCount()).toBe(count);

    // Without JavaScript: the Preview button re-renders the page with it, and saves nothing.
    const noJs = await b.post('/console/templates/new', {
      _csrf: csrfOf(page.html),
      ...TEMPLATE,
      _action: 'preview',
    });
    expect(noJs.status).toBe(200);
    expect(textOf(noJs.html)).toContain('Subject: Connect your payroll, Jordan');
    expect(noJs.html).toContain('value="Payroll onboarding"');
    expect(await flowCount()).toBe(count);
  });

  it('counts a long GSM-7 SMS in segments of 153', async () => {
    const b = await signedIn();
    const page = await b.get('/console/templates/new');
    const res = await b.post('/console/templates/preview', {
      _csrf: csrfOf(page.html),
      type: 'email_sms_template',
      sms_text: `${'a'.repeat(200)} [Link]`,
    });
    // 200 + a space + the 37-character link: more than 160, so parts of 153.
    expect(textOf(res.html)).toContain('2 segments · 238 characters · GSM-7');
  });

  it('renders the built-in texts in Spanish for an es flow', async () => {
    const b = await signedIn();
    const page = await b.get('/console/templates/new');
    const res = await b.post('/console/templates/preview', {
      _csrf: csrfOf(page.html),
      type: 'email_sms_template',
      language: 'es',
    });
    const text = textOf(res.html);
    expect(text).toContain('in Spanish');
    expect(text).toContain('Subject: Conecte su cuenta de nómina');
    expect(text).toContain('Se le pide verificar sus ingresos');
    expect(res.html).toMatch(/title="Landing page preview" sandbox srcdoc="[^"]*lang=&quot;es&quot;/);
  });

  it('escapes hostile text in every part', async () => {
    const b = await signedIn();
    const page = await b.get('/console/templates/new');
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const fields = Object.fromEntries(
      Object.keys(TEMPLATE)
        .filter(
          (k) =>
            ![
              'type',
              'language',
              'brand.own_color',
              'brand.color',
              'brand.logo',
              'email.reply_to',
              'success_page.button_url',
            ].includes(k),
        )
        .map((k) => [k, hostile]),
    );
    const res = await b.post('/console/templates/preview', {
      _csrf: csrfOf(page.html),
      type: 'email_sms_template',
      ...fields,
    });
    expect(res.status).toBe(200);
    expect(res.html).not.toContain('<script>alert');
    expect(res.html).not.toContain('<img src=x');
    // Escaped once by the message renderer, once more as the frame's attribute.
    expect(res.html).toContain('&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;');
    expect(textOf(res.html)).toContain('Subject: <script>alert(1)</script>');

    // A field the API would refuse is left out of the preview, as it could never be sent.
    const badUrls = await b.post('/console/templates/preview', {
      _csrf: csrfOf(page.html),
      'brand.logo': 'javascript:alert(3)',
      'email.body_text_icon_1': 'javascript:alert(4)',
      'email.body_text_header_1': 'Row',
    });
    expect(badUrls.status).toBe(200);
    expect(badUrls.html).not.toContain('javascript:');

    // The form page too, with the text kept in its fields.
    const form = await b.post('/console/templates/new', {
      _csrf: csrfOf(page.html),
      ...fields,
      _action: 'preview',
    });
    expect(form.html).not.toContain('<script>alert');
    expect(form.html).toContain('value="&lt;script>alert(1)&lt;/script>&lt;img src=x onerror=alert(2)>"');
  });
});

describe('settings', () => {
  const SETTINGS = {
    company_name: 'Acme Corp',
    sender: 'Acme HR',
    'brand.own_color': 'on',
    'brand.color': '#0f766e',
    'brand.logo': 'https://acme.example/logo.png',
    default_flow_id: '',
    require_external_id: 'on',
    'reminders.enabled': 'on',
    'reminders.after_days': '5',
    'reminders.max_count': '3',
    'reminders.send_window.start': '08:30',
    'reminders.send_window.end': '17:00',
    'reminders.send_window.timezone': 'Europe/Madrid',
    'expiry.enabled': 'on',
    'expiry.after_days': '45',
  };

  it('saves every setting from the form', async () => {
    const b = await signedIn();
    const page = await b.get('/console/settings');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<option value="America/New_York" selected>');
    const res = await b.post('/console/settings', { _csrf: csrfOf(page.html), ...SETTINGS });
    expect(res.status).toBe(303);
    expect((await t.request('GET', '/v2/invite-settings')).body).toMatchObject({
      company_name: 'Acme Corp',
      sender: 'Acme HR',
      brand: { color: '#0f766e', logo: 'https://acme.example/logo.png' },
      default_flow_id: null,
      require_external_id: true,
      reminders: {
        enabled: true,
        after_days: 5,
        max_count: 3,
        send_window: { start: '08:30', end: '17:00', timezone: 'Europe/Madrid' },
      },
      expiry: { enabled: true, after_days: 45 },
    });
    const after = await b.get(res.location ?? '');
    expect(textOf(after.html)).toContain('Settings saved.');
    expect(after.html).toContain('value="Acme Corp"');
    expect(after.html).toContain('<option value="Europe/Madrid" selected>');

    // Blanking resets: no company, the colour unset, nothing required.
    const reset = await b.post('/console/settings', {
      _csrf: csrfOf(after.html),
      ...SETTINGS,
      company_name: '',
      'brand.own_color': '',
      require_external_id: '',
    });
    expect(reset.status).toBe(303);
    const settings = (await t.request('GET', '/v2/invite-settings')).body;
    expect(settings.company_name).toBeNull();
    expect(settings.brand.color).toBeNull();
    expect(settings.require_external_id).toBe(false);
  });

  it('shows the API’s errors beside their fields and saves nothing', async () => {
    const b = await signedIn();
    const before = (await t.request('GET', '/v2/invite-settings')).body;
    const page = await b.get('/console/settings');
    const res = await b.post('/console/settings', {
      _csrf: csrfOf(page.html),
      ...SETTINGS,
      'brand.logo': 'ftp://acme.example/logo.png',
      'reminders.after_days': '0',
      'expiry.after_days': 'soon',
      'reminders.send_window.timezone': 'Mars/Olympus',
    });
    expect(res.status).toBe(400);
    expect(errorsBeside(res.html, 'brand.logo')).toBe('Enter a valid URL (http or https).');
    expect(errorsBeside(res.html, 'reminders.after_days')).toBe(
      'Ensure this value is greater than or equal to 1.',
    );
    expect(errorsBeside(res.html, 'expiry.after_days')).toBe('A valid integer is required.');
    expect(res.html).toContain('value="soon"');
    expect((await t.request('GET', '/v2/invite-settings')).body).toEqual(before);

    // What the service checks after the schema: the zone, then the window.
    const zone = await b.post('/console/settings', {
      _csrf: csrfOf(page.html),
      ...SETTINGS,
      'reminders.send_window.timezone': 'Mars/Olympus',
    });
    expect(zone.status).toBe(400);
    expect(errorsBeside(zone.html, 'reminders.send_window.timezone')).toBe(
      '"Mars/Olympus" is not a valid time zone.',
    );
    const window = await b.post('/console/settings', {
      _csrf: csrfOf(page.html),
      ...SETTINGS,
      'reminders.send_window.start': '18:00',
      'reminders.send_window.end': '09:00',
    });
    expect(window.status).toBe(400);
    expect(errorsBeside(window.html, 'reminders.send_window.end')).toBe(
      'Ensure the window ends after it starts.',
    );
    expect((await t.request('GET', '/v2/invite-settings')).body).toEqual(before);
  });

  it('offers the Email/SMS templates as the default, and saves the choice', async () => {
    const b = await signedIn();
    const id = await createFromForm(b, { ...TEMPLATE, name: 'Picked as default' });
    const page = await b.get('/console/settings');
    expect(page.html).toContain(`<option value="${id}">Picked as default</option>`);
    const res = await b.post('/console/settings', {
      _csrf: csrfOf(page.html),
      ...SETTINGS,
      default_flow_id: id,
    });
    expect(res.status).toBe(303);
    expect((await t.request('GET', '/v2/invite-settings')).body.default_flow_id).toBe(id);
  });
});

describe('roles', () => {
  it('gives operations members a 403 on every page and action, changing nothing', async () => {
    const admin = await signedIn('admin');
    const id = await createFromForm(admin, TEMPLATE);
    const before = (await t.request('GET', '/v2/invite-settings')).body;
    const ops = await signedIn('operations');
    for (const url of [
      '/console/templates',
      '/console/templates/new',
      `/console/templates/${id}`,
      '/console/settings',
    ]) {
      expect((await ops.get(url)).status).toBe(403);
    }
    const csrf = csrfOf((await ops.get('/console')).html);
    expect((await ops.post(`/console/templates/${id}/delete`, { _csrf: csrf })).status).toBe(403);
    expect((await ops.post('/console/settings', { _csrf: csrf, company_name: 'Hijacked' })).status).toBe(403);
    expect((await ops.post('/console/templates/preview', { _csrf: csrf })).status).toBe(403);
    expect((await t.request('GET', `/v2/flows/${id}`)).status).toBe(200);
    expect((await t.request('GET', '/v2/invite-settings')).body).toEqual(before);
    // Nor does the navigation offer them.
    expect((await ops.get('/console')).html).not.toContain('href="/console/templates"');
  });

  it('lets developers edit templates', async () => {
    const dev = await signedIn('developer');
    expect((await dev.get('/console/templates')).status).toBe(200);
    expect((await dev.get('/console/settings')).status).toBe(200);
  });
});
