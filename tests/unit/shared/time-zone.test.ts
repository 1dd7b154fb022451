/** Wall-clock times read and written in a zone (the CSV dialog's inputs), and the zones' labels. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTime, inputToInstant, instantToInput, zoneLabel } from '../../../shared/time-zone.js';

test('a datetime-local value is read in the zone given, with or without seconds, across daylight saving', () => {
  assert.equal(inputToInstant('2026-11-27T09:30', 'America/New_York'), Date.UTC(2026, 10, 27, 14, 30));
  assert.equal(inputToInstant('2026-07-01T09:30:05', 'America/New_York'), Date.UTC(2026, 6, 1, 13, 30, 5));
  assert.equal(inputToInstant('2026-11-27T09:30', 'Asia/Tokyo'), Date.UTC(2026, 10, 27, 0, 30));
  assert.equal(inputToInstant('', 'Asia/Tokyo'), undefined);
  assert.equal(inputToInstant('not a time', 'Asia/Tokyo'), undefined);
});

test('an instant written for an input reads back as itself', () => {
  const t = Date.UTC(2026, 2, 8, 7, 15); // the morning New York moves its clocks forward
  for (const zone of ['America/New_York', 'Asia/Tokyo', 'Europe/London', 'UTC']) {
    assert.equal(inputToInstant(instantToInput(t, zone), zone), t, zone);
  }
  assert.equal(instantToInput(t, 'America/New_York'), '2026-03-08T03:15');
});

test('exchange time is labelled ET all year; other zones by their short name', () => {
  assert.equal(zoneLabel('America/New_York', Date.UTC(2026, 0, 1)), 'ET');
  assert.equal(zoneLabel('America/New_York', Date.UTC(2026, 6, 1)), 'ET');
  assert.equal(zoneLabel('Asia/Tokyo'), 'GMT+9');
  assert.equal(zoneLabel('UTC'), 'UTC');
  assert.equal(formatTime(Date.UTC(2026, 10, 27, 14, 30, 5), 'America/New_York'), '09:30:05');
  assert.equal(formatTime(Date.UTC(2026, 10, 27, 5, 0, 0), 'America/New_York'), '00:00:00', 'midnight is 00, never 24');
});
