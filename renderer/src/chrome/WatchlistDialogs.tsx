/** Naming, renaming and deleting a watchlist, in in-app dialogs; the host checks and applies the intent. */
import { useState, type FormEvent } from 'react';
import { Modal } from './Modal.js';

export type WatchlistDialog =
  | { kind: 'create' }
  | { kind: 'rename'; id: string; name: string }
  | { kind: 'delete'; id: string; name: string };

interface Props {
  dialog: WatchlistDialog;
  onClose: () => void;
  /** Resolves with an error to show, or null when done. */
  onSubmit: (dialog: WatchlistDialog, name: string) => Promise<string | null>;
}

export function WatchlistDialogView({ dialog, onClose, onSubmit }: Props) {
  const [name, setName] = useState(dialog.kind === 'rename' ? dialog.name : '');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = await onSubmit(dialog, name);
    if (problem) setError(problem);
    else onClose();
  };
  const title = dialog.kind === 'create' ? 'New watchlist' : dialog.kind === 'rename' ? `Rename ${dialog.name}` : `Delete ${dialog.name}?`;
  return (
    <Modal title={title} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        {dialog.kind === 'delete' ? (
          <p>The watchlist and its symbols are removed. Recorded data stays in the database.</p>
        ) : (
          <label className="field">
            <span>Name</span>
            <input autoFocus value={name} maxLength={64} onChange={(e) => setName(e.target.value)} aria-invalid={error !== null} aria-describedby="watchlist-dialog-error" />
          </label>
        )}
        {error ? <p id="watchlist-dialog-error" className="field-error" role="alert">{error}</p> : null}
        <div className="buttons">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit">{dialog.kind === 'create' ? 'Create' : dialog.kind === 'rename' ? 'Rename' : 'Delete'}</button>
        </div>
      </form>
    </Modal>
  );
}
