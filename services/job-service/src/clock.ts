/** ISO 8601 UTC, the one timestamp format in the database and on the wire. */
export const nowIso = (): string => new Date().toISOString();
