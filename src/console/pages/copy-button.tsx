import { ASSETS } from '../assets.ts';

interface CopyButtonProps {
  /** The id of the read-only field whose value is copied. */
  target: string;
  label: string;
  /** Said to screen readers after the label, when several buttons share a page. */
  context?: string;
}

/**
 * Copies a read-only field's value (assets/copy.js). It stays hidden until the script shows
 * it, so without script the field alone is there to select.
 */
export function CopyButton({ target, label, context }: CopyButtonProps) {
  return (
    <button type="button" class="btn secondary copy-button" data-copy-target={target} hidden>
      {label}
      {context && <span class="visually-hidden"> {context}</span>}
    </button>
  );
}

/** The script behind every CopyButton of the page; once per page. */
export function CopyScript() {
  return <script src={ASSETS.copy.url} defer />;
}
