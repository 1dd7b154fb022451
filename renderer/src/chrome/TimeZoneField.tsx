/** Settings' time-zone choice, each option naming the zone it means here ("local" is this window's zone). */
import { EXCHANGE_ZONE, localZone, zoneLabel, type TimeZoneSetting } from '../../../shared/time-zone.js';

export function TimeZoneField({ value, onChange }: { value: TimeZoneSetting; onChange: (v: TimeZoneSetting) => void }) {
  const local = localZone();
  return (
    <label className="field">
      <span>Time zone</span>
      <select value={value} onChange={(e) => onChange(e.target.value === 'local' ? 'local' : 'exchange')}>
        <option value="exchange">Exchange time ({EXCHANGE_ZONE}, {zoneLabel(EXCHANGE_ZONE)})</option>
        <option value="local">Local time ({local}, {zoneLabel(local)})</option>
      </select>
    </label>
  );
}
