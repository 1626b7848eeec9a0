// Copy buttons: `<button data-copy="text">` copies that text, `<button data-copy-target="id">` the
// value of that field. They come hidden: without this script the page's read-only field is
// there to select, and a button that did nothing would only mislead.
(() => {
  /** The text onto the clipboard; without the Clipboard API (no secure context), the selection. */
  async function write(text, field) {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return;
    }
    if (!field || typeof field.select !== 'function') throw new Error('nothing to select');
    field.select();
    if (!document.execCommand('copy')) throw new Error('copy refused');
  }

  for (const button of document.querySelectorAll('button[data-copy], button[data-copy-target]')) {
    if (button.dataset.copyReady) continue;
    button.dataset.copyReady = 'true';
    const status = document.createElement('span');
    status.className = 'copy-status';
    status.setAttribute('aria-live', 'polite');
    button.after(status);
    button.hidden = false;
    button.addEventListener('click', async () => {
      const id = button.dataset.copyTarget;
      const field = id ? document.getElementById(id) : null;
      const text = button.dataset.copy ?? field?.value ?? '';
      // Emptied first, so that a second copy is announced again.
      status.textContent = '';
      try {
        await write(text, field);
        status.textContent = 'Copied';
      } catch {
        field?.select?.();
        status.textContent = 'Copy did not work here: the link is selected, copy it with your keyboard.';
      }
    });
  }
})();
