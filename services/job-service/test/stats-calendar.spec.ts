import { chooseBucket, zoneCalendar } from '../src/history/stats-calendar';

const iso = (ms: number) => new Date(ms).toISOString();

describe('statistics calendar (local days, weeks and months of an IANA zone)', () => {
  it('finds local midnights, including the 25-hour and 23-hour days of DST and a midnight that does not exist', () => {
    const berlin = zoneCalendar('Europe/Berlin');
    expect(iso(berlin.startOf({ y: 2026, m: 7, d: 1 }))).toBe('2026-06-30T22:00:00.000Z'); // summer, +02:00
    expect(iso(berlin.startOf({ y: 2026, m: 10, d: 25 }))).toBe('2026-10-24T22:00:00.000Z'); // the day summer time ends…
    expect(iso(berlin.startOf({ y: 2026, m: 10, d: 26 }))).toBe('2026-10-25T23:00:00.000Z'); // …lasts 25 hours
    expect(iso(berlin.startOf({ y: 2026, m: 3, d: 30 })) > iso(berlin.startOf({ y: 2026, m: 3, d: 29 }))).toBe(true);
    expect(berlin.startOf({ y: 2026, m: 3, d: 30 }) - berlin.startOf({ y: 2026, m: 3, d: 29 })).toBe(23 * 3600_000);
    // Brazil changed to summer time at midnight in 2018: 4 November began at 01:00.
    expect(iso(zoneCalendar('America/Sao_Paulo').startOf({ y: 2018, m: 11, d: 4 }))).toBe('2018-11-04T03:00:00.000Z');
    expect(iso(zoneCalendar('Asia/Kolkata').startOf({ y: 2026, m: 11, d: 2 }))).toBe('2026-11-01T18:30:00.000Z');
    expect(iso(zoneCalendar('Asia/Kathmandu').startOf({ y: 2026, m: 11, d: 2 }))).toBe('2026-11-01T18:15:00.000Z');
  });

  it('cuts a span into days, ISO weeks (from Monday) and months, the first and last holding its ends', () => {
    const ny = zoneCalendar('America/New_York');
    const days = ny.buckets('day', Date.parse('2026-10-31T12:00:00Z'), Date.parse('2026-11-02T12:00:00Z'));
    expect(days.map((b) => [b.date, iso(b.start), iso(b.end)])).toEqual([
      [{ y: 2026, m: 10, d: 31 }, '2026-10-31T04:00:00.000Z', '2026-11-01T04:00:00.000Z'],
      [{ y: 2026, m: 11, d: 1 }, '2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z'], // 25 hours
      [{ y: 2026, m: 11, d: 2 }, '2026-11-02T05:00:00.000Z', '2026-11-03T05:00:00.000Z'],
    ]);
    const weeks = zoneCalendar('UTC').buckets('week', Date.parse('2026-11-01T12:00:00Z'), Date.parse('2026-11-09T00:00:00Z'));
    expect(weeks.map((b) => iso(b.start).slice(0, 10))).toEqual(['2026-10-26', '2026-11-02', '2026-11-09']); // Mondays
    const months = zoneCalendar('Europe/Berlin').buckets('month', Date.parse('2026-11-15T00:00:00Z'), Date.parse('2027-01-01T00:30:00Z'));
    expect(months.map((b) => iso(b.start))).toEqual(['2026-10-31T23:00:00.000Z', '2026-11-30T23:00:00.000Z', '2026-12-31T23:00:00.000Z']);
  });

  it('chooses days up to about three months, weeks up to a year, then months; refuses unknown zones and too many buckets', () => {
    const DAY = 86_400_000;
    expect([chooseBucket(7 * DAY), chooseBucket(92 * DAY), chooseBucket(93 * DAY), chooseBucket(366 * DAY), chooseBucket(367 * DAY)]).toEqual(['day', 'day', 'week', 'week', 'month']);
    expect(() => zoneCalendar('Mars/Olympus_Mons')).toThrow(/tz: an IANA time zone/);
    expect(zoneCalendar('europe/berlin').zone).toBe('Europe/Berlin');
    expect(zoneCalendar().zone).toBe(new Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(() => zoneCalendar('UTC').buckets('day', Date.parse('2020-01-01'), Date.parse('2026-01-01'), 1000)).toThrow(/more than 1000 buckets/);
  });
});
