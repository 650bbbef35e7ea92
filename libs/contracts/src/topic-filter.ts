/**
 * Does the ACL pattern `allowed` cover every topic the requested filter could match?
 * MQTT 3.1.1 §4.7: `#` matches any number of levels (only last), `+` exactly one level.
 * A subscription is allowed only if it is no wider than a granted pattern, so `#` or
 * `printfleet/#` are refused to an account granted `printfleet/v1/#`.
 */
export function filterCovers(allowed: string, requested: string): boolean {
  const a = allowed.split('/');
  const r = requested.split('/');
  for (let i = 0; i < a.length; i++) {
    const al = a[i]!;
    if (al === '#') return true;
    const rl = r[i];
    if (rl === undefined || rl === '#') return false;
    if (al === '+') continue;
    if (rl === '+' || rl !== al) return false;
  }
  return r.length === a.length;
}

/** Does a concrete topic (no wildcards) match a pattern? Routes messages to handlers, too. */
export function topicMatches(pattern: string, topic: string): boolean {
  return !topic.includes('+') && !topic.includes('#') && filterCovers(pattern, topic);
}
