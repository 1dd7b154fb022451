/**
 * Price flashes: a changed cell is highlighted green or red for FLASH_MS, then cleared, by one
 * sweep for all cells. Two style changes per flash, where an animated fade restyles and repaints
 * every flashing cell on every frame — at thousands of updates a second that fade alone was most
 * of the renderer's main-thread time and the largest cause of late frames.
 */
export const FLASH_MS = 500;
const SWEEP_MS = 100;

const expiries = new Map<HTMLElement, number>();
let sweeping: ReturnType<typeof setInterval> | null = null;

function sweep(): void {
  const now = performance.now();
  for (const [el, until] of expiries) {
    if (until > now) continue;
    delete el.dataset.flash;
    expiries.delete(el);
  }
  if (expiries.size === 0 && sweeping !== null) {
    clearInterval(sweeping);
    sweeping = null;
  }
}

export function flashCell(el: HTMLElement, dir: 'up' | 'down'): void {
  el.dataset.flash = dir;
  expiries.set(el, performance.now() + FLASH_MS);
  sweeping ??= setInterval(sweep, SWEEP_MS);
}
