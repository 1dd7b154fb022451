import { useEffect, type ReactNode } from 'react';
import { appStore } from '../store/app.js';

export function Modal({ title, children }: { title: string; children: ReactNode }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') appStore.setState({ dialog: null });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const id = `dlg-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && appStore.setState({ dialog: null })}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby={id}>
        <h2 id={id}>{title}</h2>
        {children}
      </div>
    </div>
  );
}
