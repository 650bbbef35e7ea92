import { invalid } from '../errors';

/** How the statistics' time series is cut: local days, ISO weeks (Monday to Sunday), months. */
export const STATS_BUCKETS = ['day', 'week', 'month'] as const;
export type StatsBucket = (typeof STATS_BUCKETS)[number];

/** A calendar date (month 1–12). */
export interface LocalDate {
  y: number;
  m: number;
  d: number;
}

/** One bucket of a series: the local date it starts on and its natural bounds (epoch ms, end exclusive). */
export interface CalendarBucket {
  date: LocalDate;
  start: number;
  end: number;
}

const DAY_MS = 86_400_000;
/** Every UTC offset of the time zone database, and every change of one, falls on a quarter hour. */
const QUARTER_MS = 900_000;
/** A chosen bucket may give at most this many (an automatic one never fails: see `chooseBucket`). */
export const MAX_BUCKETS = 1000;

const dateKey = (x: LocalDate) => x.y * 10_000 + x.m * 100 + x.d;
const pad = (n: number) => String(n).padStart(2, '0');
export const isoDate = (x: LocalDate) => `${String(x.y).padStart(4, '0')}-${pad(x.m)}-${pad(x.d)}`;

/** The date `n` days after `x` (Date.UTC does the calendar). */
export function addDays(x: LocalDate, n: number): LocalDate {
  const t = new Date(Date.UTC(x.y, x.m - 1, x.d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/**
 * Local dates and midnights in one IANA time zone, from the runtime's time zone data (Intl). DST
 * is followed: a local day may last 23 or 25 hours, and where a change skips midnight the day
 * starts at the first moment it has.
 */
export class ZoneCalendar {
  private readonly format: Intl.DateTimeFormat;

  constructor(readonly zone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The wall clock at instant `ms`: its date, and the reading as epoch ms as if it were UTC (whole seconds). */
  local(ms: number): { date: LocalDate; wall: number } {
    // format() and a pattern: several times faster than formatToParts, and this runs per bucket.
    const m = /(\d+)\D+(\d+)\D+(\d+)\D+(\d+)\D+(\d+)\D+(\d+)/.exec(this.format.format(ms));
    if (!m) throw new Error(`cannot read the time in ${this.zone}: ${this.format.format(ms)}`);
    const [month, day, year, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    return { date: { y: year, m: month, d: day }, wall: Date.UTC(year, month - 1, day, hour, minute, second) };
  }

  /** The first instant (epoch ms) of local date `date`. */
  startOf(date: LocalDate): number {
    const wall = Date.UTC(date.y, date.m - 1, date.d);
    const offset = (t: number) => this.local(t).wall - (t - (((t % 1000) + 1000) % 1000));
    // Two passes: the offset at the first guess may differ from the one at the answer.
    let t = wall - offset(wall);
    t = wall - offset(t);
    if (this.local(t).wall === wall) return t;
    // Midnight does not exist on this date (a change to summer time at 00:00): the day starts at
    // the first quarter hour that reads this date.
    const key = dateKey(date);
    while (dateKey(this.local(t).date) < key) t += QUARTER_MS;
    while (dateKey(this.local(t - QUARTER_MS).date) === key) t -= QUARTER_MS;
    return t;
  }

  /** The local date that starts the bucket holding instant `ms`. */
  bucketDate(ms: number, bucket: StatsBucket): LocalDate {
    const { date } = this.local(ms);
    if (bucket === 'day') return date;
    if (bucket === 'month') return { ...date, d: 1 };
    const weekday = new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay(); // 0 = Sunday
    return addDays(date, -((weekday + 6) % 7));
  }

  nextBucketDate(date: LocalDate, bucket: StatsBucket): LocalDate {
    if (bucket === 'day') return addDays(date, 1);
    if (bucket === 'week') return addDays(date, 7);
    return date.m === 12 ? { y: date.y + 1, m: 1, d: 1 } : { y: date.y, m: date.m + 1, d: 1 };
  }

  /** The buckets, in order, from the one holding `first` to the one holding `last` (epoch ms, both included). */
  buckets(bucket: StatsBucket, first: number, last: number, max = Number.POSITIVE_INFINITY): CalendarBucket[] {
    const out: CalendarBucket[] = [];
    let date = this.bucketDate(first, bucket);
    let start = this.startOf(date);
    while (start <= last) {
      const next = this.nextBucketDate(date, bucket);
      const end = this.startOf(next);
      out.push({ date, start, end });
      if (out.length > max) throw invalid(`bucket=${bucket} gives more than ${max} buckets over this range: choose a longer bucket or a shorter range`);
      date = next;
      start = end;
    }
    return out;
  }
}

/** Up to about three months by day, up to a year by week, longer by month. */
export function chooseBucket(spanMs: number): StatsBucket {
  if (spanMs <= 92 * DAY_MS) return 'day';
  if (spanMs <= 366 * DAY_MS) return 'week';
  return 'month';
}

const calendars = new Map<string, ZoneCalendar>();
let serverZone: string | undefined;

/**
 * The calendar of IANA zone `tz` (any spelling Intl accepts: "europe/berlin" is Europe/Berlin),
 * or of the server's own zone when none is given. An unknown zone is refused (400).
 */
export function zoneCalendar(tz?: string): ZoneCalendar {
  let zone: string;
  try {
    zone = tz === undefined ? (serverZone ??= new Intl.DateTimeFormat().resolvedOptions().timeZone) : new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    throw invalid(`tz: an IANA time zone such as Europe/Berlin or UTC, not ${JSON.stringify(tz)}`);
  }
  let cal = calendars.get(zone);
  if (!cal) {
    if (calendars.size >= 64) calendars.clear();
    cal = new ZoneCalendar(zone);
    calendars.set(zone, cal);
  }
  return cal;
}
