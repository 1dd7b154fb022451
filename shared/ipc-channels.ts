/** The Electron IPC channels between the preload and main: one prefix, named once for both ends. */
export const IPC_CHANNELS = {
  /** renderer → main: (command name, argument) → result */
  invoke: 'tapedeck:invoke',
  /** main → renderer: (event name, payload) */
  event: 'tapedeck:event',
  /** renderer → main: listening; main flushes what it queued */
  ready: 'tapedeck:ready',
} as const;
