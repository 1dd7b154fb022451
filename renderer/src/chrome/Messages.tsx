/** Errors and notices as readable messages; errors and warnings stay until dismissed. */
import { dismissMessage, useApp } from '../store/app.js';

export function Messages() {
  const messages = useApp((s) => s.messages);
  if (messages.length === 0) return null;
  return (
    <div className="messages" aria-live="polite">
      {messages.map((m) => (
        <div key={m.id} className={`message ${m.level}`} role={m.level === 'error' ? 'alert' : undefined}>
          <span>{m.text}</span>
          <button type="button" aria-label="Dismiss" onClick={() => dismissMessage(m.id)}>×</button>
        </div>
      ))}
    </div>
  );
}
