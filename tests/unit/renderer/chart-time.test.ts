/** The chart's axis and crosshair labels are in the chosen zone, and the crosshair names it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TickMarkType, type UTCTimestamp } from 'lightweight-charts';
import { crosshairTime, tickMark } from '../../../renderer/src/panels/chart-time.js';

/** 2026-11-27 14:30:15 UTC: 09:30:15 in New York, 23:30:15 in Tokyo. */
const AT = (Date.UTC(2026, 10, 27, 14, 30, 15) / 1000) as UTCTimestamp;

const formatters = (zone: string, label: string) => ({ tick: tickMark(zone), crosshair: crosshairTime(zone, label) });

test('tick marks show the time of day in the zone, and the day on day marks', () => {
  const ny = formatters('America/New_York', 'ET');
  assert.equal(ny.tick(AT, TickMarkType.Time), '09:30');
  assert.equal(ny.tick(AT, TickMarkType.TimeWithSeconds), '09:30:15');
  assert.equal(ny.tick(AT, TickMarkType.DayOfMonth), 'Nov 27');
  const tokyo = formatters('Asia/Tokyo', 'GMT+9');
  assert.equal(tokyo.tick(AT, TickMarkType.Time), '23:30');
});

test('the crosshair label carries the zone label', () => {
  assert.equal(formatters('America/New_York', 'ET').crosshair(AT), 'Nov 27 09:30 ET');
  assert.equal(formatters('Asia/Tokyo', 'GMT+9').crosshair(AT), 'Nov 27 23:30 GMT+9');
});
