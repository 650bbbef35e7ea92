// @ts-check
import { ApiError, login } from '../api.js';
import { h } from '../dom.js';

/**
 * The login form. Errors are said in words and announced (role=alert); the button is disabled
 * while the request runs so a double tap does not count as two attempts.
 * @param {(user: import('../api.js').User) => void} onLoggedIn
 */
export function loginView(onLoggedIn) {
  const error = h('p.form-error', { role: 'alert', id: 'login-error' });
  const name = h('input', {
    id: 'login-name',
    name: 'username',
    autocomplete: 'username',
    required: true,
    autocapitalize: 'none',
    spellcheck: 'false',
  });
  const password = h('input', {
    id: 'login-password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const submit = h('button.primary', { type: 'submit' }, 'Log in');
  const form = h(
    'form.login',
    { 'aria-labelledby': 'login-title', 'aria-describedby': 'login-error' },
    h('h1', { id: 'login-title' }, 'Log in to printfleet'),
    h('label', { for: 'login-name' }, 'User name'),
    name,
    h('label', { for: 'login-password' }, 'Password'),
    password,
    error,
    submit,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    submit.setAttribute('disabled', '');
    try {
      const user = await login(
        /** @type {HTMLInputElement} */ (name).value.trim(),
        /** @type {HTMLInputElement} */ (password).value,
      );
      onLoggedIn(user);
    } catch (err) {
      error.textContent =
        err instanceof ApiError && err.code === 'BAD_CREDENTIALS'
          ? 'Wrong user name or password.'
          : err instanceof Error
            ? err.message
            : String(err);
      /** @type {HTMLInputElement} */ (password).select();
    } finally {
      submit.removeAttribute('disabled');
    }
  });
  queueMicrotask(() => name.focus());
  return h('section.login-page', {}, form);
}
