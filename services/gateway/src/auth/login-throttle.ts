/**
 * Failed-login counting per user name and per client address, in fixed windows. A blocked
 * attempt is refused before the password is checked, so guessing stops for the whole window.
 * In memory: a gateway restart forgets the counts, which costs an attacker a restart they cannot
 * cause. Per-user limits let someone lock an account out for one window; that is the price of
 * stopping a distributed guess at one account, and an admin can still log in from the CLI.
 */
export interface ThrottleLimits {
  perUser: number;
  perIp: number;
  windowMs: number;
}

interface Window {
  failures: number;
  startedAt: number;
}

export class LoginThrottle {
  private readonly byUser = new Map<string, Window>();
  private readonly byIp = new Map<string, Window>();

  constructor(
    private readonly limits: ThrottleLimits,
    private readonly now: () => number,
  ) {}

  /** Seconds until a new attempt is allowed, or 0 when it is allowed now. */
  retryAfterS(user: string, ip: string): number {
    const wait = Math.max(
      this.waitMs(this.byUser, user.toLowerCase(), this.limits.perUser),
      this.waitMs(this.byIp, ip, this.limits.perIp),
    );
    return Math.ceil(wait / 1000);
  }

  recordFailure(user: string, ip: string): void {
    this.bump(this.byUser, user.toLowerCase());
    this.bump(this.byIp, ip);
  }

  /** A correct password clears the user's count (not the address's: one good login must not reset a spray). */
  recordSuccess(user: string): void {
    this.byUser.delete(user.toLowerCase());
  }

  private waitMs(map: Map<string, Window>, key: string, limit: number): number {
    const w = this.current(map, key);
    return w && w.failures >= limit ? w.startedAt + this.limits.windowMs - this.now() : 0;
  }

  private bump(map: Map<string, Window>, key: string): void {
    const w = this.current(map, key);
    if (w) w.failures += 1;
    else {
      // Old windows are dropped as new ones open, so the maps stay bounded by recent keys.
      if (map.size > 10_000) this.prune(map);
      map.set(key, { failures: 1, startedAt: this.now() });
    }
  }

  private current(map: Map<string, Window>, key: string): Window | undefined {
    const w = map.get(key);
    if (w && this.now() - w.startedAt >= this.limits.windowMs) {
      map.delete(key);
      return undefined;
    }
    return w;
  }

  private prune(map: Map<string, Window>): void {
    for (const [key, w] of map) if (this.now() - w.startedAt >= this.limits.windowMs) map.delete(key);
  }
}
