import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@printfleet/logging';
import { LOGGER } from '@printfleet/service-kit';
import { CLOCK, type Clock } from '../clock';
import { GatewayError } from '../errors/gateway-error';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../settings';
import { UserRepository } from '../users/user.repository';
import type { User } from '../users/user.types';
import { LoginThrottle } from './login-throttle';
import { dummyHash, verifyPassword } from './password';
import type { Principal } from './principal';
import { SessionRepository } from './session.repository';
import { hashToken, randomToken } from './tokens';

export interface LoginResult {
  /** Goes into the httpOnly cookie only; never into a body. */
  sessionToken: string;
  csrfToken: string;
  user: Pick<User, 'name' | 'role'>;
}

/** Password logins and the sessions they open. */
@Injectable()
export class AuthService {
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.throttle = new LoginThrottle(settings.loginLimits, () => clock.now());
  }

  async login(name: string, password: string, ip: string): Promise<LoginResult> {
    const wait = this.throttle.retryAfterS(name, ip);
    if (wait > 0) {
      this.logger.warn({ user: name, ip }, 'login refused: too many failed attempts');
      throw new GatewayError('RATE_LIMITED', `too many failed logins: try again in ${wait} s`, wait);
    }
    const user = await this.users.findByName(name);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !ok) {
      this.throttle.recordFailure(name, ip);
      this.logger.info({ user: name, ip }, 'login failed');
      // One message for both cases: the answer must not tell which user names exist.
      throw new GatewayError('BAD_CREDENTIALS', 'wrong user name or password');
    }
    this.throttle.recordSuccess(name);
    const sessionToken = randomToken();
    const csrfToken = randomToken();
    const now = this.clock.now();
    await this.sessions.insert({
      tokenHash: hashToken(sessionToken),
      userId: user.id,
      csrfToken,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.settings.sessionTtlMs).toISOString(),
    });
    this.logger.info({ user: user.name, ip }, 'logged in');
    return { sessionToken, csrfToken, user: { name: user.name, role: user.role } };
  }

  /**
   * The session behind a cookie, or null. Each use moves the expiry out again (idle timeout),
   * written at most once per tenth of the lifetime so a busy page does not write on every call.
   */
  async authenticate(sessionToken: string): Promise<Principal | null> {
    const tokenHash = hashToken(sessionToken);
    const now = this.clock.now();
    const s = await this.sessions.find(tokenHash, new Date(now).toISOString());
    if (!s) return null;
    const ttl = this.settings.sessionTtlMs;
    if (Date.parse(s.expiresAt) - now < ttl - ttl / 10)
      await this.sessions.extend(tokenHash, new Date(now + ttl).toISOString());
    return {
      userId: s.userId,
      name: s.name,
      role: s.role,
      via: 'session',
      session: { tokenHash, csrfToken: s.csrfToken },
    };
  }

  async logout(principal: Principal): Promise<void> {
    if (principal.session) await this.sessions.remove(principal.session.tokenHash);
  }

  removeExpiredSessions(): Promise<number> {
    return this.sessions.removeExpired(new Date(this.clock.now()).toISOString());
  }
}
