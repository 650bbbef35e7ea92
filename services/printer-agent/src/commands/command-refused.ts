/** Thrown by a command handler to refuse with a reason; the router turns it into the reply. */
export class CommandRefused extends Error {}
