/**
 * Host action commands (Marlin HOST_ACTION_COMMANDS, Prusa).
 *
 *   `//action:pause`   `//action:resume`   `//action:cancel`   `// action:paused`
 *   `//action:out_of_filament T0`   `//action:prompt_begin Paused`   `//action:notification Heating...`
 */
export interface HostAction {
  action: string;
  args: string;
}

export function parseHostAction(line: string): HostAction | null {
  const m = /^\/\/\s*action:\s*([A-Za-z_]+)(?:\s+(.*))?$/.exec(line.trim());
  return m ? { action: (m[1] ?? '').toLowerCase(), args: (m[2] ?? '').trim() } : null;
}
