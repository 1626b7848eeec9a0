import type { SendPreview } from '../send-preview.ts';

/**
 * The draft's email, SMS, landing and success pages. Each page sits in a frame with no
 * permissions at all (`sandbox=""`), so the customer's text and branding run nothing.
 */
export function SendPreviews({ preview }: { preview: SendPreview }) {
  const { cost } = preview.sms;
  return (
    <section class="previews" aria-labelledby="previews-title">
      <h2 id="previews-title">Preview</h2>
      <p class="muted">Nothing has been sent. The links in the preview lead nowhere.</p>
      <div class="preview-grid">
        <figure class="preview">
          <figcaption>
            Email: <strong>{preview.email.subject}</strong>
          </figcaption>
          <iframe title="Email preview" sandbox="" srcdoc={preview.email.html} class="preview-frame" />
        </figure>
        <figure class="preview">
          <figcaption>
            SMS: {cost.segments} {cost.segments === 1 ? 'segment' : 'segments'} ({cost.encoding}, {cost.units}{' '}
            characters)
          </figcaption>
          <p class="sms">{preview.sms.text}</p>
        </figure>
        <figure class="preview">
          <figcaption>Landing page</figcaption>
          <iframe title="Landing page preview" sandbox="" srcdoc={preview.landing} class="preview-frame" />
        </figure>
        <figure class="preview">
          <figcaption>Success page</figcaption>
          <iframe title="Success page preview" sandbox="" srcdoc={preview.success} class="preview-frame" />
        </figure>
      </div>
    </section>
  );
}
