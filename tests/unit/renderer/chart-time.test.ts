/**
 * The chart's axis in the chosen zone: bars are placed on the zone's wall clock (so the chart's own
 * marks fall on its whole hours and midnights), labels read it back, and the crosshair names the zone.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TickMarkType } from 'lightweight-charts';
import { axisTime, axisTimes, crosshairTime, tickMark } from '../../../renderer/src/panels/chart-time.js';

/** 2026-11-27 14:30:15 UTC: 09:30:15 in New York, 23:30:15 in Tokyo, 20:00:15 in Kolkata. */
const AT = Date.UTC(2026, 10, 27, 14, 30, 15);
const DAY_S = 86_400;

test('a bar sits at the wall-clock time of the zone, so day marks fall on its midnight', () => {
  assert.equal(axisTime(AT, 'America/New_York'), Date.UTC(2026, 10, 27, 9, 30, 15) / 1000);
  assert.equal(axisTime(AT, 'Asia/Tokyo'), Date.UTC(2026, 10, 27, 23, 30, 15) / 1000);
  // A half-hour zone: its whole hours are whole hours of the axis.
  assert.equal(axisTime(AT, 'Asia/Kolkata') % 3600, 15);
  // New York's midnight (05:00 UTC in November) is a midnight of the axis; UTC's is not.
  assert.equal(axisTime(Date.UTC(2026, 10, 28, 5, 0), 'America/New_York') % DAY_S, 0);
  assert.notEqual(axisTime(Date.UTC(2026, 10, 28, 0, 0), 'America/New_York') % DAY_S, 0);
  // Summer time moves it: 04:00 UTC in July.
  assert.equal(axisTime(Date.UTC(2026, 6, 15, 4, 0), 'America/New_York') % DAY_S, 0);
});

test('labels read the axis back: the time of day on intraday marks, the day on day marks', () => {
  const ny = axisTime(AT, 'America/New_York');
  assert.equal(tickMark(ny, TickMarkType.Time), '09:30');
  assert.equal(tickMark(ny, TickMarkType.TimeWithSeconds), '09:30:15');
  assert.equal(tickMark(ny, TickMarkType.DayOfMonth), 'Nov 27');
  assert.equal(tickMark(axisTime(AT, 'Asia/Tokyo'), TickMarkType.Time), '23:30');
});

test('the crosshair label carries the zone label', () => {
  assert.equal(crosshairTime('ET')(axisTime(AT, 'America/New_York')), 'Nov 27 09:30 ET');
  assert.equal(crosshairTime('GMT+9')(axisTime(AT, 'Asia/Tokyo')), 'Nov 27 23:30 GMT+9');
});

test('through the hour a daylight-saving change repeats, axis times still ascend', () => {
  // 2026-11-01: 01:00–02:00 happens twice in New York (05:xx and 06:xx UTC).
  const minutes = Array.from({ length: 180 }, (_, i) => Date.UTC(2026, 10, 1, 4, 30) + i * 60_000);
  const times = axisTimes(minutes, 'America/New_York');
  for (let i = 1; i < times.length; i++) assert.ok(times[i]! > times[i - 1]!, `ascending at ${i}`);
  // Outside the repeated hour each bar keeps its own wall-clock minute.
  assert.equal(times[0], Date.UTC(2026, 10, 1, 0, 30) / 1000);
  assert.equal(times[179], Date.UTC(2026, 10, 1, 2, 29) / 1000);
});
