/**
 * An in-app dialog (never the browser's prompt/alert/confirm: Electron does not implement them).
 * Focus moves into the dialog, Tab stays inside it, Escape closes it, and focus returns to where
 * it was when it closes.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { appStore } from '../store/app.js';

const closeAppDialog = () => appStore.setState({ dialog: null });
const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

export function Modal({ title, children, onClose = closeAppDialog }: { title: string; children: ReactNode; onClose?: () => void }) {
  const box = useRef<HTMLDivElement>(null);
  // Read while rendering, before an autofocused field inside takes the focus.
  const before = useRef(document.activeElement as HTMLElement | null);
  // The latest onClose, without re-running the focus set-up when the parent re-renders.
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const first = box.current?.querySelector<HTMLElement>('[autofocus], ' + FOCUSABLE);
    (first ?? box.current)?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close.current();
      if (e.key !== 'Tab' || !box.current) return;
      const items = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
      if (items.length === 0) return;
      const [head, tail] = [items[0]!, items[items.length - 1]!];
      if (e.shiftKey && document.activeElement === head) {
        e.preventDefault();
        tail.focus();
      } else if (!e.shiftKey && document.activeElement === tail) {
        e.preventDefault();
        head.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      before.current?.focus?.();
    };
  }, []);
  const id = `dlg-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby={id} ref={box} tabIndex={-1}>
        <h2 id={id}>{title}</h2>
        {children}
      </div>
    </div>
  );
}
