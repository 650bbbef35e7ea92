// @ts-check
import { h } from '../dom.js';

/** The admin pages' tab bar. @param {'users' | 'apikeys' | 'mqtt' | 'printers' | 'system'} current */
export function adminTabs(current) {
  /** @param {string} href @param {typeof current} id @param {string} text */
  const tab = (href, id, text) => h('a', { href, 'aria-current': current === id ? 'page' : undefined }, text);
  return h(
    'nav.tabs',
    { 'aria-label': 'Admin' },
    tab('#/admin/users', 'users', 'Users'),
    tab('#/admin/apikeys', 'apikeys', 'API keys'),
    tab('#/admin/mqtt', 'mqtt', 'MQTT accounts'),
    tab('#/admin/printers', 'printers', 'Printers'),
    tab('#/admin/system', 'system', 'System'),
  );
}
