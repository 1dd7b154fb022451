/**
 * How a firing reaches the person in the window. In the Electron app the shell shows a system
 * notification and plays the sound (the host tells it directly, so it works with the window
 * hidden): nothing to do here. In browser mode the page uses the Notification API when the person
 * allowed it (asked from a click in the alerts panel: browsers refuse to ask otherwise), and an
 * in-app banner when it is denied or unavailable; a short tone plays once the page may play sound.
 */
import type { AlertFiring } from '../../../shared/alerts.js';
import { pushMessage } from '../store/app.js';

export type NotificationPermissionState = 'granted' | 'denied' | 'default' | 'unavailable';

const inElectron = () => typeof window !== 'undefined' && window.tapedeck !== undefined;

export function notificationPermission(): NotificationPermissionState {
  if (inElectron()) return 'granted';
  return typeof Notification === 'undefined' ? 'unavailable' : Notification.permission;
}

/** Asks for permission; must run inside a click. Also unlocks sound (browsers allow audio after a gesture). */
export async function requestNotifications(): Promise<NotificationPermissionState> {
  unlockSound();
  if (notificationPermission() !== 'default') return notificationPermission();
  try {
    return await Notification.requestPermission();
  } catch {
    return 'unavailable';
  }
}

let audio: AudioContext | null = null;

/** Creates the audio context inside a user gesture, so later tones are allowed to play. */
export function unlockSound(): void {
  if (audio || inElectron() || typeof AudioContext === 'undefined') return;
  try {
    audio = new AudioContext();
  } catch {
    audio = null;
  }
}

function tone(): void {
  if (!audio || audio.state !== 'running') return;
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.frequency.value = 880;
  gain.gain.setValueAtTime(0.15, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.25);
  osc.connect(gain).connect(audio.destination);
  osc.start();
  osc.stop(audio.currentTime + 0.25);
}

export function notifyFiring(f: AlertFiring): void {
  if (inElectron()) return;
  tone();
  const body = `${f.text} — value ${f.value}`;
  if (notificationPermission() === 'granted') {
    try {
      new Notification('Tapedeck alert', { body, tag: `${f.ruleId}-${f.firedAt}` });
      return;
    } catch {
      // Some browsers allow notifications only from a service worker: fall back to the banner.
    }
  }
  pushMessage({ level: 'warning', text: `Alert: ${body}`, at: f.firedAt });
}
