/** A polite live region, always in the page, that says each alert firing ("Alert fired: …"). */
import { useAlerts } from '../store/alerts.js';

export function AlertAnnouncer() {
  const text = useAlerts((s) => s.announcement);
  return (
    <div className="sr-only" role="status" aria-live="polite" aria-label="Alert announcements">
      {text}
    </div>
  );
}
