/**
 * What a policy action may be named: `policy.actions` refuses anything else, and
 * `churnkit uplift` names each action's model files after it, so a name is also a safe
 * file name (no path separator, no "..", nothing a file system would change).
 */

/** 1-40 letters, digits, "_" or "-". */
export const ACTION_NAME = /^[A-Za-z0-9_-]{1,40}$/;

/** How `ACTION_NAME` reads in messages. */
export const ACTION_NAME_RULE = '1-40 letters, digits, "_" or "-"';
