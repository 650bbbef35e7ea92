import type { PrinterSettings } from '@printfleet/contracts';
import { DEFAULT_CANCEL_SCRIPT, DEFAULT_PAUSE_SCRIPT } from './pause-scripts';

/** The scripts a printer runs at its next pause and cancel. */
export interface PrinterScripts {
  pauseScript: readonly string[];
  cancelScript: readonly string[];
}

/** What the agent's own configuration gives (`PRINTFLEET_PAUSE_SCRIPT`, …); undefined: nothing. */
export interface ConfiguredScripts {
  pauseScript?: readonly string[];
  cancelScript?: readonly string[];
}

type ScriptSettings = Pick<PrinterSettings, 'pauseScript' | 'cancelScript'>;

/**
 * Admin's settings (web UI, per printer) > the agent's configuration > the built-in default.
 * The admin's choice is the most specific and the most recent; the configuration is the host's
 * fallback. A configured empty script (an empty profile section) means "no script" and stays so.
 */
export function effectiveScripts(settings: ScriptSettings | null, configured: ConfiguredScripts): PrinterScripts {
  return {
    pauseScript: settings?.pauseScript ?? configured.pauseScript ?? DEFAULT_PAUSE_SCRIPT,
    cancelScript: settings?.cancelScript ?? configured.cancelScript ?? DEFAULT_CANCEL_SCRIPT,
  };
}

/**
 * The printer's published `displayName`: the admin's name, else none. The agent has no name of
 * its own for a printer (a `PRINTFLEET_PORTS` name and a USB serial become its id), so clearing
 * the admin's name gives back what readers showed before: the id.
 */
export function effectiveDisplayName(settings: Pick<PrinterSettings, 'displayName'> | null): string | undefined {
  return settings?.displayName ?? undefined;
}
