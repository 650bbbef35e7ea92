// @ts-check
import { api } from '../api.js';

/** @typedef {import('../api.js').Job} Job */
/** @typedef {import('../api.js').User} User */

/** Operators and admins run the queue; makers cancel their own jobs (the gateway checks again). */
export const isOperator = (/** @type {User} */ user) => user.role === 'admin' || user.role === 'operator';

/** @param {User} user @param {Job} job */
export const canCancel = (user, job) =>
  isOperator(user) || (user.role === 'maker' && job.requestedBy.toLowerCase() === user.name.toLowerCase());

/** @param {User} user */
export const canReprint = (user) => user.role !== 'viewer';

/**
 * One queue operation on the gateway. @param {string} jobId
 * @param {'cancel' | 'hold' | 'release' | 'move' | 'reprint'} action @param {object} [body]
 */
export function jobAction(jobId, action, body = {}) {
  return api('POST', `/api/jobs/${encodeURIComponent(jobId)}/${action}`, body);
}
