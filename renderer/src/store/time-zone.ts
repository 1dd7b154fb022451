/** The zone times are shown in, from the host's setting ("local" is this browser's or window's zone). */
import { useMemo } from 'react';
import { zoneLabel, zoneOf } from '../../../shared/time-zone.js';
import { useApp } from './app.js';

export interface ShownZone {
  /** IANA name, for formatting. */
  zone: string;
  /** Short label for headers: "ET", "GMT+9", "PST". */
  label: string;
}

export function useTimeZone(): ShownZone {
  const setting = useApp((s) => s.settings?.timeZone ?? 'exchange');
  return useMemo(() => {
    const zone = zoneOf(setting);
    return { zone, label: zoneLabel(zone) };
  }, [setting]);
}
