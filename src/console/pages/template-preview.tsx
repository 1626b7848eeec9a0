import type { TemplatePreview } from '../templates.preview.ts';

const LANGUAGES: Record<string, string> = { en: 'English', es: 'Spanish' };

/**
 * What the recipient would get, beside the form. Each rendered document sits in a frame that
 * runs nothing (`sandbox=""`): it is the recipient's HTML, not the Console's.
 */
export function TemplatePreviewPanel({ preview }: { preview: TemplatePreview }) {
  const language = LANGUAGES[preview.language] ?? preview.language;
  return (
    <section class="preview" aria-labelledby="preview-heading">
      <h2 id="preview-heading">Preview</h2>
      <p class="muted">
        As Jordan Rivera would see it, in {language}, with your settings underneath. Nothing is saved until
        you save the template.
      </p>
      {preview.email && (
        <div class="preview-part">
          <h3>Email</h3>
          <p class="preview-subject">
            <span class="muted">Subject:</span> <strong>{preview.email.subject}</strong>
          </p>
          <iframe class="preview-frame" title="Email preview" sandbox="" srcdoc={preview.email.html} />
        </div>
      )}
      {preview.sms && (
        <div class="preview-part">
          <h3>SMS</h3>
          <p class="sms-bubble">{preview.sms.text}</p>
          <p class="muted sms-cost">
            {preview.sms.cost.segments} {preview.sms.cost.segments === 1 ? 'segment' : 'segments'} ·{' '}
            {preview.sms.cost.units} characters · {preview.sms.cost.encoding}
          </p>
        </div>
      )}
      <div class="preview-part">
        <h3>Landing page</h3>
        <iframe
          class="preview-frame page"
          title="Landing page preview"
          sandbox=""
          srcdoc={preview.landingHtml}
        />
      </div>
      <div class="preview-part">
        <h3>Success page</h3>
        <iframe
          class="preview-frame page"
          title="Success page preview"
          sandbox=""
          srcdoc={preview.successHtml}
        />
      </div>
    </section>
  );
}
