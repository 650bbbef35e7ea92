import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  const setup = () => {
    let now = 0;
    const throttle = new LoginThrottle({ perUser: 3, perIp: 5, windowMs: 60_000 }, () => now);
    return { throttle, advance: (ms: number) => (now += ms) };
  };

  it('blocks a user name after too many failures, for the rest of the window', () => {
    const { throttle, advance } = setup();
    for (let i = 0; i < 3; i++) throttle.recordFailure('Ada', '10.0.0.1');
    expect(throttle.retryAfterS('ada', '10.0.0.2')).toBe(60);
    advance(45_000);
    expect(throttle.retryAfterS('ada', '10.0.0.2')).toBe(15);
    advance(15_000);
    expect(throttle.retryAfterS('ada', '10.0.0.2')).toBe(0);
  });

  it('blocks an address spraying many user names, and a success clears only the user count', () => {
    const { throttle } = setup();
    for (const name of ['a', 'b', 'c', 'd']) throttle.recordFailure(name, '10.0.0.9');
    throttle.recordFailure('e', '10.0.0.9');
    expect(throttle.retryAfterS('f', '10.0.0.9')).toBeGreaterThan(0);
    throttle.recordSuccess('e');
    expect(throttle.retryAfterS('f', '10.0.0.9')).toBeGreaterThan(0);
    expect(throttle.retryAfterS('f', '10.0.0.1')).toBe(0);
  });
});
