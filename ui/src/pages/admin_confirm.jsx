// admin_confirm.jsx - a confirmation before an action that cannot be undone
// (revoking a token, disabling a user, deleting a model): a modal <dialog>
// (focus inside it, Escape cancels), focus back where it was afterwards.
import { useEffect, useRef } from 'preact/hooks';
import './admin.css';
import { t } from '../i18n.js';

let seq = 0;

export function Confirm({ open, title, children, confirmLabel, danger, onConfirm, onCancel }) {
  const ref = useRef(null);
  const before = useRef(null);
  const ids = useRef(null);
  if (!ids.current) {
    seq += 1;
    ids.current = { title: 'confirm-title-' + seq, body: 'confirm-body-' + seq };
  }
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      before.current = document.activeElement;
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    } else if (!open && d.open) {
      d.close();
      const b = before.current;
      before.current = null;
      if (b && b.isConnected && typeof b.focus === 'function') b.focus();
    }
  }, [open]);
  const cancel = (e) => {
    if (e) e.preventDefault();
    onCancel();
  };
  return (
    <dialog ref={ref} class="confirm" aria-labelledby={ids.current.title} aria-describedby={ids.current.body}
      onCancel={cancel}>
      <h2 id={ids.current.title}>{title}</h2>
      <div id={ids.current.body} class="confirm-body">{children}</div>
      <div class="form-actions">
        <button type="button" class={danger ? 'danger confirm-yes' : 'primary confirm-yes'} onClick={onConfirm}>{confirmLabel}</button>
        <button type="button" class="secondary confirm-no" onClick={cancel} autofocus>{t('act.cancel')}</button>
      </div>
    </dialog>
  );
}
